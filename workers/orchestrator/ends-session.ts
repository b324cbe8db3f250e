/**
 * Operations that end the caller's own session or credentials: sign-out / log-out, revoking or
 * invalidating the session or token the request carries. Sent early with a user's identity, one
 * of them signs that user out and every later case of the identity fails (a given identity cannot
 * be signed in again), so their cases run after every other case. Recognised from the operation's
 * own words: a sign-out word in a literal path segment or leading its operationId or summary
 * ("logOut", "Sign out"); or, on an operation that names no item in its path (the caller's own
 * session, not the one at /sessions/{id}), an operationId or summary that leads with a verb of
 * ending and ends with a session or token ("Revoke access token", "deleteSession"), or a DELETE
 * whose path ends with one (DELETE /session). An operation that documents a 201 creates something
 * ("create a session") and is none of these. Pure.
 */
import type { Operation } from "../model";
import { words } from "./destructive";

const SIGN_OUT = new Set(["logout", "logoff", "signout", "signoff"]);
const END_VERBS = new Set(["end", "revoke", "invalidate", "terminate", "expire", "destroy", "kill", "delete", "remove", "close", "clear"]);
const SESSION_NOUNS = new Set(["session", "sessions", "token", "tokens"]);

/** "log out", "sign_off", "logOut", "logout" at `i` */
const signOutAt = (list: string[], i: number) => SIGN_OUT.has(list[i]) || ((list[i] === "log" || list[i] === "sign") && (list[i + 1] === "out" || list[i + 1] === "off"));

const literalWords = (path: string) => path.split("/").filter((segment) => segment && !segment.startsWith("{")).flatMap(words);

/** Why an operation ends the caller's session ("operationId says log out"), or undefined. */
export function endsSession(op: Operation): string | undefined {
  if (op.responses.some((r) => r.status === "201")) return undefined;
  const named: [string, string[]][] = [
    ["operationId", words(op.operationId)],
    ["summary", words(op.summary ?? "")],
  ];
  const path = literalWords(op.path);
  if (path.some((_, i) => signOutAt(path, i))) return `its path says sign out`;
  for (const [source, list] of named) if (signOutAt(list, 0)) return `its ${source} says sign out`;
  if (/\{[^}]+\}/.test(op.path)) return undefined;
  for (const [source, list] of named) {
    if (END_VERBS.has(list[0]) && SESSION_NOUNS.has(list[list.length - 1])) return `its ${source} says it ends a session or token`;
  }
  if (op.method.toLowerCase() === "delete" && SESSION_NOUNS.has(path[path.length - 1])) return `DELETE on ${op.path}`;
  return undefined;
}
