/** Webhooks: list, create (the signing secret is shown once), delete. */
import type { Hono } from "hono";
import { ApiError } from "../api-client";
import type { Hook, Spec, Target } from "../api-types";
import type { UiContext, UiEnv } from "../context";
import { all, text, type FormBody } from "../form";
import { CopyBlock, Csrf, Flash, Layout, formatTime } from "../layout";
import { problemLines } from "./runs";

const EVENTS = ["push", "pull_request", "deployment_status"] as const;

function HooksPage(props: { c: UiContext; hooks: Hook[]; specs: Spec[]; targets: Target[]; created?: { url: string; secret: string }; error?: string; errors?: string[] }) {
  const { c } = props;
  const viewer = c.get("viewer");
  const origin = new URL(c.req.url).origin;
  return (
    <Layout title="Webhooks" nonce={c.get("nonce")} viewer={viewer} section="hooks">
      <Flash error={props.error} />
      {props.errors?.length ? (
        <ul class="flash error">
          {props.errors.map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      ) : null}
      {props.created ? (
        <div class="panel" role="status">
          <p>
            <b>Webhook created.</b> Its secret is shown only now; store it where the sender can sign with it.
          </p>
          <CopyBlock id="hook-url" label="delivery URL" text={origin + props.created.url} />
          <CopyBlock id="hook-secret" label="signing secret" text={props.created.secret} />
        </div>
      ) : null}
      {props.hooks.length === 0 ? (
        <p class="muted">No webhooks yet.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Delivery URL</th>
                <th scope="col">Spec</th>
                <th scope="col" class="hide-sm">
                  Created
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {props.hooks.map((h) => (
                <tr>
                  <td>{h.kind}</td>
                  <td>
                    <code>{h.url}</code>
                  </td>
                  <td>{h.config.specId}</td>
                  <td class="hide-sm">{formatTime(h.createdAt)}</td>
                  <td>
                    <form class="inline" method="post" action={`/app/hooks/${h.id}/delete`}>
                      <Csrf viewer={viewer} />
                      <button type="submit" class="danger" aria-label={`Delete webhook ${h.id}`}>
                        Delete
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>New webhook</h2>
      <form class="stack" method="post" action="/app/hooks">
        <Csrf viewer={viewer} />
        <div>
          <label for="hook-kind">Kind</label>
          <select id="hook-kind" name="kind">
            <option value="github">GitHub (X-Hub-Signature-256)</option>
            <option value="generic">Generic (X-Sentinel-Signature)</option>
          </select>
        </div>
        <div>
          <label for="hook-spec">Spec</label>
          <select id="hook-spec" name="specId" required>
            {props.specs.map((s) => (
              <option value={s.id}>
                {s.name} v{s.version} — {s.title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="hook-target">Saved target</label>
          <select id="hook-target" name="targetId">
            <option value="">— none: use the URL below —</option>
            {props.targets.map((t) => (
              <option value={t.id}>
                {t.name} ({t.baseUrl})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="hook-url-in">Target URL</label>
          <input id="hook-url-in" name="targetUrl" type="url" placeholder="https://staging.example.com" />
        </div>
        <fieldset>
          <legend>GitHub events</legend>
          <div class="checks">
            {EVENTS.map((e) => (
              <label>
                <input type="checkbox" name="events" value={e} checked /> {e}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <label for="hook-branches">
            Branches <span class="hint">(comma-separated; empty: all)</span>
          </label>
          <input id="hook-branches" name="branches" placeholder="main" />
        </div>
        <div>
          <button type="submit">Create webhook</button>
        </div>
      </form>
    </Layout>
  );
}

async function render(c: UiContext, extra: Partial<Parameters<typeof HooksPage>[0]> = {}, status: 200 | 201 | 400 | 404 | 422 = 200) {
  const api = c.get("api");
  const [hooks, specs, targets] = await Promise.all([
    api.get<{ items: Hook[] }>("/api/v1/hooks"),
    api.get<{ specs: Spec[] }>("/api/v1/specs?limit=500"),
    api.get<{ targets: Target[] }>("/api/v1/targets"),
  ]);
  return c.html(<HooksPage c={c} hooks={hooks.items} specs={specs.specs} targets={targets.targets} {...extra} />, status);
}

export function registerHooks(app: Hono<UiEnv>): void {
  app.get("/app/hooks", (c) => render(c));

  app.post("/app/hooks", async (c) => {
    const body = (await c.req.parseBody({ all: true })) as FormBody;
    const kind = text(body, "kind") === "generic" ? "generic" : "github";
    const targetId = text(body, "targetId");
    const targetUrl = text(body, "targetUrl");
    const branches = text(body, "branches")
      .split(",")
      .map((b) => b.trim())
      .filter(Boolean);
    const config = {
      specId: text(body, "specId"),
      ...(targetId ? { targetId } : {}),
      ...(targetUrl ? { targetUrl } : {}),
      ...(kind === "github" ? { events: all(body, "events"), branches } : {}),
    };
    try {
      const created = await c.get("api").send<{ url: string; secret: string }>("POST", "/api/v1/hooks", { kind, config });
      return render(c, { created }, 201);
    } catch (error) {
      if (error instanceof ApiError && [400, 404, 422].includes(error.status)) return render(c, { error: error.message, errors: problemLines(error) }, error.status as 400);
      throw error;
    }
  });

  app.post("/app/hooks/:id/delete", async (c) => {
    await c.get("api").send("DELETE", `/api/v1/hooks/${encodeURIComponent(c.req.param("id"))}`);
    return c.redirect("/app/hooks", 303);
  });
}
