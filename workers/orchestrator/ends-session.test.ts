import { describe, expect, it } from "vitest";
import type { Operation } from "../model";
import { endsSession } from "./ends-session";

function op(method: string, path: string, operationId: string, summary?: string, statuses = ["200"]): Operation {
  return { operationId, method, path, ...(summary ? { summary } : {}), tags: [], deprecated: false, parameters: [], responses: statuses.map((status) => ({ status, content: [], headers: [], links: [] })), security: [{ s: [] }], pointer: "#" } as Operation;
}

describe("endsSession", () => {
  it.each([
    op("post", "/logout", "logOut", "End the session", ["204"]),
    op("get", "/auth/sign-out", "x1"),
    op("post", "/users/revoke-token", "revokeOAuthToken", "Logout"),
    op("post", "/oauth2/revoke", "post_oauth2_revoke", "Revoke access token"),
    op("delete", "/installation/token", "apps/revoke-installation-access-token", "Revoke an installation access token"),
    op("delete", "/session", "x2"),
    op("post", "/auth/x", "invalidateAllSessions"),
  ])("%# a sign-out or the revocation of the caller's own session or token", (operation) => {
    expect(endsSession(operation)).toBeDefined();
  });

  it.each([
    // creates a session: a sign-in
    op("post", "/sessions", "createSession", "Start a session", ["201"]),
    // someone's named session or token, not the caller's own
    op("delete", "/users/{id}/sessions", "deleteUserSessions", "Delete all user sessions"),
    op("post", "/v1/checkout/sessions/{session}/expire", "PostCheckoutSessionsSessionExpire"),
    op("delete", "/users/{username}/tokens/{token}", "userDeleteAccessToken", "delete an access token"),
    // a report about sign-ins and sign-outs, a configuration named after sessions, an upload session
    op("get", "/report/activities", "reportSignInSignOutActivities", "Get sign In / sign out activity report"),
    op("delete", "/session_configurations", "deleteSessionConfigurations", "Delete an account's session configurations."),
    op("post", "/users/terminate_sessions", "post_users_terminate_sessions", "Create jobs to terminate users session"),
    op("get", "/tokens", "listTokens", "List the end user's tokens"),
    op("post", "/login", "logIn", "Sign in"),
  ])("%# not one", (operation) => {
    expect(endsSession(operation)).toBeUndefined();
  });
});
