/** Users of the caller's org: POST/GET /users (users:manage). */
import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../storage/schema";
import { EmailTakenError, createUser, listUsers, publicUser } from "../../storage/users-repo";
import { hashPassword } from "../auth/passwords";
import { requirePermission } from "../middleware/require-permission";
import { SECURED, jsonContent, problemResponses } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { roleAtMost } from "../roles";
import { createRouter } from "../router";

const CreateUser = z
  .strictObject({
    email: z.email().max(254).openapi({ example: "qa@example.com" }),
    password: z.string().min(12, "at least 12 characters").max(1024),
    role: z.enum(ROLES).openapi({ example: "tester" }),
  })
  .openapi("CreateUserRequest");

export const UserSchema = z
  .object({ id: z.string(), orgId: z.string(), email: z.string(), role: z.enum(ROLES), createdAt: z.number().int() })
  .openapi("User");

const create = createRoute({
  method: "post",
  path: "/users",
  tags: ["users"],
  summary: "Create a user in your organization",
  security: SECURED,
  middleware: [requirePermission("users:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateUser } } } },
  responses: { 201: jsonContent(UserSchema, "The user"), ...problemResponses(400, 401, 403, 409, 415, 429) },
});

const list = createRoute({
  method: "get",
  path: "/users",
  tags: ["users"],
  summary: "List the users of your organization",
  security: SECURED,
  middleware: [requirePermission("users:manage")] as const,
  responses: { 200: jsonContent(z.object({ users: z.array(UserSchema) }), "The users"), ...problemResponses(401, 403, 429) },
});

export const usersRoutes = createRouter()
  .openapi(create, async (c) => {
    const auth = c.get("auth");
    const body = c.req.valid("json");
    if (!roleAtMost(body.role, auth.role)) throw new ProblemError("forbidden", `You cannot create a user with a role above yours (${auth.role})`);
    try {
      const user = await createUser(c.env.DB, { orgId: auth.orgId, email: body.email, passwordHash: await hashPassword(body.password), role: body.role });
      const { id, orgId, email, role, createdAt } = publicUser(user);
      return c.json({ id, orgId, email, role, createdAt }, 201, { Location: `/api/v1/users/${id}` });
    } catch (err) {
      if (err instanceof EmailTakenError) throw new ProblemError("conflict", "A user with this e-mail already exists");
      throw err;
    }
  })
  .openapi(list, async (c) => {
    const rows = await listUsers(c.env.DB, c.get("auth").orgId);
    return c.json({ users: rows.map(({ id, orgId, email, role, createdAt }) => ({ id, orgId, email, role, createdAt })) }, 200);
  });
