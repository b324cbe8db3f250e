/** The page shell: skip link, navigation, who is signed in, sign-out form, the inline CSS and script. */
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { CLIENT_SCRIPT } from "./client-script";
import { STYLES } from "./styles";

export interface Viewer {
  orgId: string;
  role: string;
  permissions: string[];
  csrf: string;
}

export type Section = "runs" | "specs" | "load" | "schedules" | "hooks" | "keys" | "none";

const NAV: { section: Section; href: string; label: string; needs?: string }[] = [
  { section: "runs", href: "/app/runs", label: "Runs" },
  { section: "specs", href: "/app/specs", label: "Specs" },
  { section: "load", href: "/app/load-tests", label: "Load tests" },
  { section: "schedules", href: "/app/schedules", label: "Schedules", needs: "schedules:manage" },
  { section: "hooks", href: "/app/hooks", label: "Webhooks", needs: "hooks:manage" },
  { section: "keys", href: "/app/keys", label: "API keys", needs: "keys:manage" },
];

export function Document(props: { title: string; nonce: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Sentinel`}</title>
        <style nonce={props.nonce}>{raw(STYLES)}</style>
      </head>
      <body>
        {props.children}
        <script nonce={props.nonce}>{raw(CLIENT_SCRIPT)}</script>
      </body>
    </html>
  );
}

export function Layout(props: { title: string; nonce: string; viewer: Viewer; section: Section; children: Child }) {
  const { viewer } = props;
  return (
    <Document title={props.title} nonce={props.nonce}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/app">
          Sentinel
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => !n.needs || viewer.permissions.includes(n.needs)).map((n) => (
              <li>
                <a href={n.href} aria-current={n.section === props.section ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {viewer.orgId} · {viewer.role}
          </span>
          <form class="inline" method="post" action="/app/sign-out">
            <input type="hidden" name="_csrf" value={viewer.csrf} />
            <button type="submit">Sign out</button>
          </form>
        </div>
      </header>
      <main id="main" tabindex={-1}>
        <h1>{props.title}</h1>
        {props.children}
      </main>
      <p id="copy-status" class="sr-only" role="status" aria-live="polite"></p>
    </Document>
  );
}

export function Csrf(props: { viewer: Viewer }) {
  return <input type="hidden" name="_csrf" value={props.viewer.csrf} />;
}

export function Flash(props: { error?: string | null; ok?: string | null }) {
  return (
    <>
      {props.error ? (
        <div class="flash error" role="alert">
          {props.error}
        </div>
      ) : null}
      {props.ok ? (
        <div class="flash ok" role="status">
          {props.ok}
        </div>
      ) : null}
    </>
  );
}

export function Badge(props: { kind: "sev" | "st"; value: string }) {
  return <span class={`badge ${props.kind}-${props.value}`}>{props.value}</span>;
}

let copyIds = 0;
/** A block of text with a Copy button (the inline script copies the block's text). */
export function CopyBlock(props: { text: string; label: string; id?: string }) {
  const id = props.id ?? `copy-${++copyIds}`;
  return (
    <div class="copyrow">
      <pre id={id} aria-label={props.label}>
        {props.text}
      </pre>
      <button type="button" class="secondary" data-copy={id} aria-label={`Copy ${props.label}`}>
        Copy
      </button>
    </div>
  );
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "—" : d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}
