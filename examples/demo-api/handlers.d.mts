export interface RouteParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  schema: Record<string, unknown>;
}
export interface RouteDefinition {
  operationId: string;
  method: string;
  path: string;
  auth: "public" | "user" | "admin";
  params: RouteParameter[];
  /** component schema name of the JSON request body */
  body?: string;
}
export const routes: RouteDefinition[];
