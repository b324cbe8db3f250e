/** The dashboard's Hono environment: the gateway's, plus the signed-in viewer and its API client. */
import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { ApiClient } from "./api-client";
import type { Viewer } from "./layout";

export interface UiEnv {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & {
    nonce: string;
    viewer: Viewer;
    api: ApiClient;
  };
}

export type UiContext = Context<UiEnv>;

export function can(c: UiContext, permission: string): boolean {
  return c.get("viewer").permissions.includes(permission);
}
