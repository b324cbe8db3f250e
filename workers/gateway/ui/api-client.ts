/**
 * The dashboard reads and writes only through the REST API, in-process (the same Worker's fetch,
 * no network hop): validation, RBAC, org scoping, rate limits and errors are the API's own, so a
 * page can never show or do what the signed-in key could not do with curl.
 */

export type ApiFetch = (request: Request, env: Env, ctx: ExecutionContext | undefined) => Response | Promise<Response>;

/** A problem+json answer of the API, carried to the page that shows it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; type?: string; errors?: { path?: string; pointer?: string; message?: string }[] },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface ApiClient {
  raw(path: string, init?: RequestInit): Promise<Response>;
  get<T>(path: string): Promise<T>;
  send<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export function apiClient(fetchApi: ApiFetch, env: Env, ctx: ExecutionContext | undefined, origin: string, apiKey: string, requestId?: string): ApiClient {
  const raw = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${apiKey}`);
    if (requestId) headers.set("x-request-id", requestId);
    return Promise.resolve(fetchApi(new Request(origin + path, { ...init, headers }), env, ctx));
  };
  const parse = async <T>(res: Response): Promise<T> => {
    if (res.status === 204) return undefined as T;
    const type = res.headers.get("content-type") ?? "";
    const body = type.includes("json") ? await res.json() : await res.text();
    if (!res.ok) throw new ApiError(res.status, typeof body === "object" && body ? (body as ApiError["problem"]) : { detail: String(body) });
    return body as T;
  };
  return {
    raw,
    get: async <T>(path: string) => parse<T>(await raw(path)),
    send: async <T>(method: string, path: string, body?: unknown) =>
      parse<T>(
        await raw(path, {
          method,
          ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
        }),
      ),
  };
}
