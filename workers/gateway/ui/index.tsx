/**
 * The dashboard: server-rendered pages under /app (hono/jsx), signed in with an API key that is
 * sealed into a session cookie. Every read and write goes through the REST API in-process
 * (api-client.ts), so org scoping and roles are exactly the API's.
 */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import { ApiError, apiClient, type ApiFetch } from "./api-client";
import type { Me } from "./api-types";
import type { UiContext, UiEnv } from "./context";
import { text, type FormBody } from "./form";
import { ErrorPage, notFoundPage } from "./error-page";
import { Document, Flash } from "./layout";
import { registerFindings } from "./pages/findings";
import { registerKeys } from "./pages/keys";
import { registerHooks } from "./pages/hooks";
import { registerLoadTests } from "./pages/load-tests";
import { registerRuns } from "./pages/runs";
import { registerSchedules } from "./pages/schedules";
import { registerSpecs } from "./pages/specs";
import { LOGIN_CSRF_COOKIE, SESSION_COOKIE, openSession, randomToken, sameToken, sealSession } from "./session";
import { SESSION_TTL_SECONDS } from "../auth/sessions";
import { log } from "../../shared/log";

const COOKIE = { httpOnly: true, secure: true, sameSite: "Strict", path: "/" } as const;

const nonce = (c: UiContext) => `'nonce-${c.get("nonce")}'`;

/** A page that sets its own policy (the sandboxed report) keeps it: overwrite is off. */
const pageHeaders = secureHeaders({
  overwrite: false,
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [nonce],
    styleSrc: [nonce, "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  xFrameOptions: "DENY",
});

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/app(?:[/?#]|$)/.test(next) && !next.startsWith("//") ? next : "/app/runs";
}

function SignInPage(props: { nonce: string; token: string; next: string; error?: string }) {
  return (
    <Document title="Sign in" nonce={props.nonce}>
      <main id="main" style="max-width:420px">
        <h1>Sign in to Sentinel</h1>
        <Flash error={props.error} />
        <form class="stack" method="post" action="/app/sign-in">
          <input type="hidden" name="_csrf" value={props.token} />
          <input type="hidden" name="next" value={props.next} />
          <div>
            <label for="apiKey">API key</label>
            <input id="apiKey" name="apiKey" type="password" autocomplete="current-password" required aria-describedby="apiKey-hint" />
            <p id="apiKey-hint" class="hint">
              An API key of your organization (sk_…). The dashboard acts with its role.
            </p>
          </div>
          <div>
            <button type="submit">Sign in</button>
          </div>
        </form>
      </main>
    </Document>
  );
}

const TITLES: Record<number, string> = { 400: "Bad request", 403: "Not allowed", 404: "Not found", 409: "Conflict", 413: "Too large", 422: "Not accepted", 429: "Slow down" };

export function dashboard(fetchApi: ApiFetch): Hono<UiEnv> {
  const app = new Hono<UiEnv>();

  app.get("/", (c) => c.redirect("/app", 302));

  app.use("/app/*", async (c, next) => {
    c.set("nonce", randomToken());
    await next();
    c.header("Cache-Control", "no-store");
  });
  app.use("/app/*", pageHeaders);
  // Origin check on every form post; the per-session token below is the second line.
  app.use("/app/*", csrf());

  app.get("/app/sign-in", async (c) => {
    const session = await openSession(c.env, getCookie(c, SESSION_COOKIE));
    const next = safeNext(c.req.query("next"));
    if (session) return c.redirect(next, 303);
    const token = randomToken();
    setCookie(c, LOGIN_CSRF_COOKIE, token, { ...COOKIE, maxAge: 3600 });
    return c.html(<SignInPage nonce={c.get("nonce")} token={token} next={next} />);
  });

  app.post("/app/sign-in", async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    const next = safeNext(text(body, "next"));
    const expected = getCookie(c, LOGIN_CSRF_COOKIE);
    const fresh = randomToken();
    setCookie(c, LOGIN_CSRF_COOKIE, fresh, { ...COOKIE, maxAge: 3600 });
    const again = (error: string, status: 400 | 401 | 403 | 429) =>
      c.html(<SignInPage nonce={c.get("nonce")} token={fresh} next={next} error={error} />, status);
    if (!sameToken(text(body, "_csrf"), expected)) return again("The form expired; please sign in again.", 403);
    const apiKey = text(body, "apiKey");
    if (!apiKey) return again("Enter an API key.", 400);
    const api = apiClient(fetchApi, c.env, executionCtx(c), new URL(c.req.url).origin, apiKey, c.get("requestId"));
    try {
      await api.get<Me>("/api/v1/me");
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) return again("Too many attempts; wait a minute.", 429);
      if (error instanceof ApiError && error.status < 500) return again("That API key is not valid (wrong, revoked or expired).", 401);
      throw error;
    }
    setCookie(c, SESSION_COOKIE, await sealSession(c.env, { apiKey, csrf: randomToken() }), { ...COOKIE, maxAge: SESSION_TTL_SECONDS });
    deleteCookie(c, LOGIN_CSRF_COOKIE, COOKIE);
    return c.redirect(next, 303);
  });

  // Everything else needs a session; forms also need its CSRF token.
  app.use("/app/*", async (c, next) => {
    const session = await openSession(c.env, getCookie(c, SESSION_COOKIE));
    if (!session) {
      const back = c.req.method === "GET" ? `?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ""))}` : "";
      return c.redirect(`/app/sign-in${back}`, 303);
    }
    if (c.req.method === "POST") {
      const body = (await c.req.parseBody()) as FormBody;
      if (!sameToken(text(body, "_csrf"), session.csrf)) {
        return c.html(<ErrorPage c={c} status={403} title="Not allowed" detail="The form's security token is missing or stale; reload the page and try again." />, 403);
      }
    }
    const api = apiClient(fetchApi, c.env, executionCtx(c), new URL(c.req.url).origin, session.apiKey, c.get("requestId"));
    let me: Me;
    try {
      me = await api.get<Me>("/api/v1/me");
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        deleteCookie(c, SESSION_COOKIE, COOKIE);
        return c.redirect("/app/sign-in", 303);
      }
      throw error;
    }
    c.set("api", api);
    c.set("viewer", { orgId: me.orgId, role: me.role, permissions: me.permissions, csrf: session.csrf });
    return next();
  });

  app.post("/app/sign-out", (c) => {
    deleteCookie(c, SESSION_COOKIE, COOKIE);
    return c.redirect("/app/sign-in", 303);
  });

  app.get("/app", (c) => c.redirect("/app/runs", 302));

  registerRuns(app);
  registerFindings(app);
  registerSpecs(app);
  registerSchedules(app);
  registerHooks(app);
  registerKeys(app);
  registerLoadTests(app);

  app.all("/app/*", (c) => notFoundPage(c));
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      if (error.status === 401) return c.redirect("/app/sign-in", 303);
      const status = (TITLES[error.status] ? error.status : 500) as 400;
      return c.html(<ErrorPage c={c} status={status} title={TITLES[error.status] ?? "Something went wrong"} detail={error.message} />, status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      // hono/csrf refuses a cross-site form post this way
      const status = error.status as 403;
      return c.html(<ErrorPage c={c} status={status} title={TITLES[status] ?? "Refused"} detail={error.message || "This request was refused."} />, status);
    }
    log("error", "dashboard error", { requestId: c.get("requestId"), error: error instanceof Error ? error.message : String(error) });
    return c.html(
      <ErrorPage c={c} status={500} title="Something went wrong" detail={`An unexpected error occurred; quote request id ${c.get("requestId") ?? "?"}.`} />,
      500,
    );
  });
  return app;
}

function executionCtx(c: UiContext): ExecutionContext | undefined {
  try {
    return c.executionCtx as ExecutionContext;
  } catch {
    return undefined;
  }
}
