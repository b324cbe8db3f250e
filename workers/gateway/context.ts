/** Types every gateway module shares: the Hono environment and the authenticated principal. */
import type { Role } from "../storage/schema";

export interface AuthContext {
  orgId: string;
  /** user id for sessions and user-owned keys; null for org keys such as the bootstrap key */
  userId: string | null;
  /** API key id when authenticated by key */
  keyId: string | null;
  role: Role;
  via: "api-key" | "session";
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    auth: AuthContext;
  };
}
