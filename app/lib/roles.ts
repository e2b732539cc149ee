import type { Role } from "../../server/permissions/registry.ts";

/** How a role is named to people. */
export const ROLE_LABEL: Record<Role, string> = {
  ADMIN: "Administrator",
  PHYSICIAN: "Physician",
  NURSE: "Nurse",
  RECEPTIONIST: "Receptionist",
  BILLING: "Billing specialist",
  MANAGER: "Practice manager",
};

/** Each role's home page heading: the part of the clinic the person works in. */
export const ROLE_HOME_TITLE: Record<Role, string> = {
  ADMIN: "Administration",
  PHYSICIAN: "Clinical workspace",
  NURSE: "Clinical workspace",
  RECEPTIONIST: "Front desk",
  BILLING: "Billing",
  MANAGER: "Clinic overview",
};
