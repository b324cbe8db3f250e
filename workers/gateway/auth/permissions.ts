/**
 * Role-based access: one table says what each role may do. Routes ask for a permission,
 * never for a role, so a role change is a one-line edit here.
 */
import type { Role } from "../../storage/schema";

export const PERMISSIONS = [
  "specs:read",
  "specs:write",
  "targets:read",
  "targets:write",
  "runs:read",
  "runs:create",
  "runs:cancel",
  "hooks:manage",
  "schedules:manage",
  "keys:manage",
  "users:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ["specs:read", "targets:read", "runs:read"];
const TEST: Permission[] = [...READ, "specs:write", "runs:create", "runs:cancel"];
const MANAGE: Permission[] = [...TEST, "targets:write", "hooks:manage", "schedules:manage"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(READ),
  tester: new Set(TEST),
  manager: new Set(MANAGE),
  admin: new Set(PERMISSIONS),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
