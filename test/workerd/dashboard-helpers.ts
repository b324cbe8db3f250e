/** A signed-in browser, minus the browser: cookies kept per path-less jar, forms posted with their tokens. */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE } from "./gateway-helpers";

export class Browser {
  readonly cookies = new Map<string, string>();

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    if ((init.method ?? "GET") !== "GET" && !headers.has("origin")) headers.set("origin", BASE);
    const res = await exports.default.fetch(new Request(BASE + path, { ...init, headers, redirect: "manual" }));
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async page(path: string): Promise<{ status: number; html: string; res: Response }> {
    const res = await this.fetch(path);
    return { status: res.status, html: await res.text(), res };
  }

  /** Posts a form as a browser would, with the page's CSRF token unless told otherwise. */
  async post(path: string, fields: Record<string, string | string[]>, csrf?: string | null): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    if (csrf) body.set("_csrf", csrf);
    return this.fetch(path, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
  }

  async signIn(apiKey: string): Promise<Response> {
    const form = await this.page("/app/sign-in");
    const res = await this.post("/app/sign-in", { apiKey }, csrfOf(form.html));
    return res;
  }

  /** The session's CSRF token, read from any signed-in page's forms. */
  async csrf(): Promise<string> {
    const { html, status } = await this.page("/app/runs");
    expect(status).toBe(200);
    return csrfOf(html);
  }
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error("no CSRF token on the page");
  return m[1];
}
