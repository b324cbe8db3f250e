import { describe, expect, it } from "vitest";
import { isPrivilegedRole, mergeRoles, roleOf } from "./roles";

describe("roleOf", () => {
  it("reads a role-like member of a profile, most specific first", () => {
    expect(roleOf({ id: 1, username: "oscar", role: "Owner" })).toBe("owner");
    expect(roleOf({ id: 1, type: "user", roles: ["editor", "admin"] })).toBe("admin,editor");
    expect(roleOf({ id: 1, is_admin: false })).toBe("not is_admin");
    expect(roleOf({ id: 1, isAdmin: true })).toBe("isadmin");
    expect(roleOf({ id: 1, permissions: [{ name: "surveys:write" }, { name: "users:read" }] })).toBe("surveys:write,users:read");
    expect(roleOf({ id: 1, role: { id: 3, name: "Respondent" } })).toBe("respondent");
    expect(roleOf({ id: 1, user_type: "staff" })).toBe("staff");
    expect(roleOf({ login: "octocat", type: "User", site_admin: true })).toBe("site_admin");
  });
  it("looks inside the wrappers a profile comes in", () => {
    expect(roleOf({ data: { id: "1", type: "users", attributes: { role: "editor" } } })).toBe("editor");
    expect(roleOf({ user: { id: 1, role: "owner" } })).toBe("owner");
  });
  it("names no role when the profile has none", () => {
    expect(roleOf({ id: 1, username: "oscar", email: "o@example.com" })).toBeUndefined();
    expect(roleOf({ id: 1, role: "" })).toBeUndefined();
    // an owner member holding a record names a person, not the caller's role
    expect(roleOf({ id: 1, owner: { id: 2, name: "olivia" } })).toBeUndefined();
    expect(roleOf("owner")).toBeUndefined();
    // a bare type is the resource's kind, the same for every account
    expect(roleOf({ data: { id: "1", type: "users", attributes: { name: "x" } } })).toBeUndefined();
  });
});

describe("roles", () => {
  it("tells privileged roles, a flag set to false is none", () => {
    expect(isPrivilegedRole("owner")).toBe(true);
    expect(isPrivilegedRole("is_admin")).toBe(true);
    expect(isPrivilegedRole("not is_admin")).toBe(false);
    expect(isPrivilegedRole("respondent")).toBe(false);
  });
  it("lets a declared role win over the one a profile named", () => {
    expect(mergeRoles({ oscar: "respondent" }, { olivia: "owner", oscar: "owner" })).toEqual({ olivia: "owner", oscar: "respondent" });
    expect(mergeRoles(undefined, {})).toBeUndefined();
  });
});
