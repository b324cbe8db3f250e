/** Role order for "a key or user you create cannot outrank you". */
import type { Role } from "../storage/schema";

const RANK: Record<Role, number> = { viewer: 0, tester: 1, manager: 2, admin: 3 };

export function roleAtMost(role: Role, ceiling: Role): boolean {
  return RANK[role] <= RANK[ceiling];
}
