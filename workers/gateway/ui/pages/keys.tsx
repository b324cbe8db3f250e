/** API keys: list, create (the key is shown once), revoke. Roles above the viewer's are refused by the API. */
import type { Hono } from "hono";
import { ROLES } from "../../../storage/schema";
import { ApiError } from "../api-client";
import type { ApiKey } from "../api-types";
import type { UiContext, UiEnv } from "../context";
import { text, type FormBody } from "../form";
import { CopyBlock, Csrf, Flash, Layout, formatTime } from "../layout";
import { problemLines } from "./runs";

function KeysPage(props: { c: UiContext; keys: ApiKey[]; created?: { key: string; name: string }; error?: string; errors?: string[] }) {
  const { c } = props;
  const viewer = c.get("viewer");
  return (
    <Layout title="API keys" nonce={c.get("nonce")} viewer={viewer} section="keys">
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
            <b>Key “{props.created.name}” created.</b> It is shown only now.
          </p>
          <CopyBlock id="new-key" label="new API key" text={props.created.key} />
        </div>
      ) : null}
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Role</th>
              <th scope="col" class="hide-sm">
                Last used
              </th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {props.keys.map((k) => (
              <tr>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{k.role}</td>
                <td class="hide-sm">{formatTime(k.lastUsedAt)}</td>
                <td>
                  {k.revokedAt ? (
                    <span class="muted">revoked {formatTime(k.revokedAt)}</span>
                  ) : (
                    <form class="inline" method="post" action={`/app/keys/${k.id}/revoke`}>
                      <Csrf viewer={viewer} />
                      <button type="submit" class="danger" aria-label={`Revoke key ${k.name}`}>
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>New key</h2>
      <form class="stack" method="post" action="/app/keys">
        <Csrf viewer={viewer} />
        <div>
          <label for="key-name">Name</label>
          <input id="key-name" name="name" required maxlength={100} placeholder="ci-pipeline" />
        </div>
        <div>
          <label for="key-role">Role</label>
          <select id="key-role" name="role">
            {[...ROLES].reverse().map((r) => (
              <option value={r} selected={r === "viewer"}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Create key</button>
        </div>
      </form>
    </Layout>
  );
}

async function render(c: UiContext, extra: Partial<Parameters<typeof KeysPage>[0]> = {}, status: 200 | 201 | 400 | 403 = 200) {
  const keys = await c.get("api").get<{ keys: ApiKey[] }>("/api/v1/keys");
  return c.html(<KeysPage c={c} keys={keys.keys} {...extra} />, status);
}

export function registerKeys(app: Hono<UiEnv>): void {
  app.get("/app/keys", (c) => render(c));

  app.post("/app/keys", async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    try {
      const created = await c.get("api").send<{ key: string; name: string }>("POST", "/api/v1/keys", { name: text(body, "name"), role: text(body, "role") });
      return render(c, { created }, 201);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 403)) return render(c, { error: error.message, errors: problemLines(error) }, error.status);
      throw error;
    }
  });

  app.post("/app/keys/:id/revoke", async (c) => {
    await c.get("api").send("DELETE", `/api/v1/keys/${encodeURIComponent(c.req.param("id"))}`);
    return c.redirect("/app/keys", 303);
  });
}
