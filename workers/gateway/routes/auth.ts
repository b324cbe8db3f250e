/** POST /auth/login (e-mail + password → 12 h session JWT) and GET /me (who am I, what may I do). */
import { createRoute, z } from "@hono/zod-openapi";
import { decoyPasswordHash, verifyPassword } from "../auth/passwords";
import { PERMISSIONS, can } from "../auth/permissions";
import { signSession } from "../auth/sessions";
import { ROLES } from "../../storage/schema";
import { findUserByEmail } from "../../storage/users-repo";
import { SECURED, jsonContent, problemResponses } from "../openapi-schemas";
import { ProblemError } from "../problem";
import { createRouter } from "../router";
import { takeRateLimit, throwIfLimited } from "../middleware/rate-limit";

/** Password guesses allowed per e-mail address per minute. */
const LOGIN_ATTEMPTS_PER_MINUTE = 20;

const LoginBody = z
  .strictObject({
    email: z.string().trim().min(3).max(254).openapi({ example: "qa@example.com" }),
    password: z.string().min(1).max(1024),
  })
  .openapi("LoginRequest");

const UserSummary = z
  .object({ id: z.string(), orgId: z.string(), email: z.string(), role: z.enum(ROLES) })
  .openapi("UserSummary");

const LoginResponse = z
  .object({
    token: z.string().openapi({ description: "HS256 JWT; send as Authorization: Bearer <token>" }),
    tokenType: z.literal("Bearer"),
    expiresAt: z.number().int().openapi({ description: "epoch milliseconds" }),
    user: UserSummary,
  })
  .openapi("LoginResponse");

const Me = z
  .object({
    orgId: z.string(),
    userId: z.string().nullable(),
    keyId: z.string().nullable(),
    role: z.enum(ROLES),
    via: z.enum(["api-key", "session"]),
    permissions: z.array(z.enum(PERMISSIONS)),
  })
  .openapi("Me");

const login = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["auth"],
  summary: "Log in with e-mail and password",
  request: { body: { required: true, content: { "application/json": { schema: LoginBody } } } },
  responses: { 200: jsonContent(LoginResponse, "A session token"), ...problemResponses(400, 401, 415, 429) },
});

const me = createRoute({
  method: "get",
  path: "/me",
  tags: ["auth"],
  summary: "The authenticated principal and its permissions",
  security: SECURED,
  responses: { 200: jsonContent(Me, "The caller"), ...problemResponses(401, 429) },
});

export const authRoutes = createRouter()
  .openapi(login, async (c) => {
    const { email, password } = c.req.valid("json");
    throwIfLimited(await takeRateLimit(c.env, `login:${email.toLowerCase()}`, LOGIN_ATTEMPTS_PER_MINUTE));
    const user = await findUserByEmail(c.env.DB, email);
    // Verify against a decoy when the user is unknown, so timing does not reveal which e-mails exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !ok) throw new ProblemError("unauthorized", "Invalid e-mail or password");
    const { token, expiresAt } = await signSession(c.env, { userId: user.id, orgId: user.orgId, role: user.role });
    return c.json({ token, tokenType: "Bearer" as const, expiresAt, user: { id: user.id, orgId: user.orgId, email: user.email, role: user.role } }, 200);
  })
  .openapi(me, (c) => {
    const auth = c.get("auth");
    return c.json({ ...auth, permissions: PERMISSIONS.filter((p) => can(auth.role, p)) }, 200);
  });

