/**
 * The one registry of permissions and the role → permission matrix. Every tRPC procedure declares
 * one of these (see server/trpc/init.ts); a procedure without one is refused for everyone and
 * fails the permission-matrix test. Add a permission here first, then grant it to roles.
 */
export const ROLES = ["ADMIN", "PHYSICIAN", "NURSE", "RECEPTIONIST", "BILLING", "MANAGER"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "self:read": "See one's own account and session",
  "user:manage": "Create, disable and change the role of staff accounts",
  "audit:read": "Read the audit trail",
  "patient:read": "Read patient demographics",
  "patient:write": "Register patients and edit demographics",
  "patient:merge": "Merge and unmerge duplicate patient records",
  "patient:reveal-identifiers": "Reveal sensitive identifiers (SSN, licence) in full",
  "codes:read": "Look up reference code sets (ICD-10-CM, LOINC, RxNorm, HCPCS)",
  "history:read": "Read a patient's medical history",
  "history:write": "Record a patient's medical history",
  "schedule:read": "See appointments, calendars and the waiting-room board",
  "schedule:write": "Book, move, cancel and check in appointments",
  "schedule:override": "Book outside a provider's availability",
  "schedule:setup": "Manage providers' availability, appointment types and rooms",
  "chart:read": "Read clinical chart content",
  "chart:write": "Record clinical chart content",
  "chart:sign": "Sign notes",
  "template:manage": "Add, edit and archive the clinic's note templates",
  "prescription:read": "Read prescriptions",
  "prescription:write": "Prescribe and renew",
  "billing:read": "Read charges, claims, payers and insurance",
  "billing:write": "Code visits, manage claims and insurance",
  "report:read": "See dashboards and generated reports",
  "report:generate": "Generate reports",
} as const;
export type Permission = keyof typeof PERMISSIONS;

const CLINICAL_READ: Permission[] = ["patient:read", "history:read", "chart:read", "prescription:read", "schedule:read", "codes:read"];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: [
    "self:read", "user:manage", "audit:read",
    "patient:read", "patient:write", "patient:merge", "patient:reveal-identifiers",
    "schedule:read", "schedule:write", "schedule:override", "schedule:setup",
    "billing:read", "report:read", "report:generate",
    "template:manage",
  ],
  PHYSICIAN: [
    "self:read", ...CLINICAL_READ,
    "patient:write", "history:write", "schedule:write", "chart:write", "chart:sign", "prescription:write",
    "template:manage",
  ],
  NURSE: ["self:read", ...CLINICAL_READ, "patient:write", "history:write", "schedule:write", "chart:write"],
  RECEPTIONIST: ["self:read", "patient:read", "patient:write", "schedule:read", "schedule:write", "billing:read"],
  BILLING: ["self:read", "codes:read", "patient:read", "patient:reveal-identifiers", "schedule:read", "billing:read", "billing:write", "report:read"],
  MANAGER: ["self:read", "audit:read", "schedule:read", "schedule:setup", "billing:read", "report:read", "report:generate"],
};

const granted = new Map<Role, ReadonlySet<Permission>>(
  ROLES.map((role) => [role, new Set(ROLE_PERMISSIONS[role])]),
);

export function can(role: Role, permission: Permission): boolean {
  return granted.get(role)?.has(permission) ?? false;
}

export function permissionsOf(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]];
}
