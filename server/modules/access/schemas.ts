import { z } from "zod";
import { PERMISSIONS, ROLES } from "../../permissions/registry.ts";

export const roleSchema = z.enum(ROLES);
const permissionSchema = z.enum(Object.keys(PERMISSIONS) as [keyof typeof PERMISSIONS, ...(keyof typeof PERMISSIONS)[]]);

export const meOutput = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string(), role: roleSchema }),
  clinic: z.object({ id: z.string(), name: z.string() }),
  locations: z.array(z.object({ id: z.string(), name: z.string() })),
  permissions: z.array(permissionSchema),
});

export const auditLogInput = z.object({
  action: z.string().trim().max(100).optional(),
  userId: z.string().uuid().optional(),
  patientId: z.string().uuid().optional(),
  outcome: z.enum(["SUCCESS", "FAILURE", "DENIED"]).optional(),
  /** id of the last row seen; rows come newest first */
  cursor: z.string().regex(/^\d+$/, "cursor must be a row id").optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const auditRow = z.object({
  id: z.string(),
  at: z.date(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  role: roleSchema.nullable(),
  action: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  patientId: z.string().nullable(),
  outcome: z.enum(["SUCCESS", "FAILURE", "DENIED"]),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
});

export const auditLogOutput = z.object({ items: z.array(auditRow), nextCursor: z.string().nullable() });

export const userRow = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  active: z.boolean(),
  lastSignInAt: z.date().nullable(),
});

export const createUserInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(120),
  email: z.string().trim().toLowerCase().email("Email must be a valid address").max(254),
  role: roleSchema,
  password: z.string().min(12, "Password must be at least 12 characters").max(200),
});

export const setUserActiveInput = z.object({ userId: z.string().uuid(), active: z.boolean() });
