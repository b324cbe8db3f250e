/**
 * Destructive operations: those that reset, seed, drop, purge, wipe, truncate, shut down or
 * mass-delete a target's data, or switch the whole service into maintenance or read-only mode. Sentinel never runs them unless asked (one of them wiping the test
 * users mid-run turns every later case into noise). Recognised from the operation's own words
 * (operationId, summary, literal path segments, "delete all …" prose), from a DELETE on a
 * collection, or declared with `x-sentinel-destructive` (which wins either way). Pure.
 */
import type { Operation } from "../model";

export interface DestructiveVerdict {
  destructive: boolean;
  /** why, for reports: "destructive: operationId says reset" */
  reason?: string;
}

/** Verbs that act on a whole data set or the service itself. */
const DESTRUCTIVE_WORDS = new Set([
  "reset", "reseed", "seed", "reinitialize", "reinitialise", "reinit", "drop", "purge", "wipe", "truncate",
  "shutdown", "reboot", "restart", "halt", "nuke", "flush", "erase", "obliterate", "factoryreset",
]);
/** Delete verbs that are destructive only with a quantifier ("deleteAll", "bulk remove"). */
const DELETE_WORDS = new Set(["delete", "remove", "destroy", "clear", "erase", "empty"]);
const MASS_WORDS = new Set(["all", "everything", "bulk", "mass", "batch"]);
/** "reset password", "reset token": a user's own credential flow, not the data set. */
const CREDENTIAL_WORDS = new Set(["password", "passphrase", "pin", "token", "secret", "key", "otp", "mfa", "2fa", "credential", "email", "link", "cursor", "filter", "view", "form"]);
const SAFE_METHODS = new Set(["get", "head", "options", "trace"]);
/** A name that starts with one of these is an ordinary CRUD call on something named "seed", "drop"… */
const ORDINARY_VERBS = new Set(["create", "add", "new", "get", "list", "find", "search", "read", "fetch", "show", "update", "patch", "replace", "upload", "register", "login", "signup", "send", "submit", "place", "book"]);
/** Prose that announces a mass deletion; a sentence has to say it, not merely contain a word. */
const MASS_PROSE = /\b(?:deletes?|removes?|erases?|wipes?|purges?|clears?|drops?|truncates?|resets?)\s+(?:all|every|everything|the (?:entire|whole) (?:database|data ?set|store)|the database)\b/i;
/**
 * A switch of the whole service into maintenance or read-only mode ("Enable maintenance mode"):
 * every later write of the run would answer 503 or 423 because of it, not because of its input.
 */
const MODE_PROSE = /\b(?:maintenance|read-?only)\s+mode\b/i;
/** Prose that announces a rebuilt data set: "creates and populates the database with dummy data". */
const SEED_PROSE = /\b(?:(?:re-?)?populates?|(?:re-?)?seeds?|re-?creates?|re-?initiali[sz]es?)\s+the\s+(?:database|db|data ?set|data store)\b/i;

/** `resetBoard` → reset, board; `shut_down` → shut, down; words of a sentence likewise. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const singular = (word: string) => (word.length > 4 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word);

/** The destructive word of a list of words (an ordinary CRUD name has none). */
function destructiveWord(list: string[], exact = false): string | undefined {
  const normalised = exact ? list : list.map(singular);
  if (ORDINARY_VERBS.has(normalised[0])) return undefined;
  for (let i = 0; i < normalised.length; i++) {
    const word = normalised[i];
    if (DESTRUCTIVE_WORDS.has(word)) return word;
    if (word === "shut" && normalised[i + 1] === "down") return "shut down";
    if (word === "factory" && normalised[i + 1] === "reset") return "factory reset";
  }
  const verb = normalised.find((w) => DELETE_WORDS.has(w));
  const mass = normalised.find((w) => MASS_WORDS.has(w));
  return verb && mass ? `${verb} ${mass}` : undefined;
}

function lastLiteralSegment(path: string): string[] {
  const last = path.split("/").filter(Boolean).pop() ?? "";
  return last.startsWith("{") ? [] : words(last);
}

/**
 * DELETE /items (no item named) empties a collection, and so does DELETE /projects/{key}/tasks;
 * DELETE /items/{id} removes one item, and DELETE /gists/{id}/star un-stars one gist (a singular
 * sub-resource of one item).
 */
function deletesCollection(path: string): boolean {
  if (endsWithPathParameter(path)) return false;
  if (!hasPathParameter(path)) return true;
  const last = words(path.split("/").filter(Boolean).pop() ?? "").pop() ?? "";
  return /[^su]s$/.test(last);
}

const hasPathParameter = (path: string) => /\{[^}]+\}/.test(path);
const endsWithPathParameter = (path: string) => /\{[^}]+\}\/?$/.test(path);

export function classifyOperation(op: Operation): DestructiveVerdict {
  // the planner asks of every operation two or three times per run (selection, the destructive guard)
  let verdict = verdicts.get(op);
  if (verdict === undefined) verdicts.set(op, (verdict = classify(op)));
  return verdict;
}

const verdicts = new WeakMap<Operation, Readonly<DestructiveVerdict>>();

function classify(op: Operation): DestructiveVerdict {
  const declared = op.extensions?.["x-sentinel-destructive"];
  if (declared === true) return { destructive: true, reason: "destructive: x-sentinel-destructive is true" };
  if (declared === false) return { destructive: false };
  const method = op.method.toLowerCase();
  // a read changes nothing, unless its own description says it rebuilds or empties the data
  // (GET /createdb "creates and populates the database"): prose only, names of reads stay safe
  if (SAFE_METHODS.has(method)) return (!hasPathParameter(op.path) && proseVerdict(op)) || { destructive: false };

  if (method === "delete" && deletesCollection(op.path)) {
    return { destructive: true, reason: `destructive: DELETE on the collection ${op.path}` };
  }
  // An action on one item (POST /orders/{id}/reset) is that item's business, not a mass change;
  // only an explicit quantifier ("purge all") makes it one.
  const onOneItem = hasPathParameter(op.path);
  // a credential flow anywhere in the operation's names ("requestReset" at /password/reset)
  const names = [...words(op.operationId), ...words(op.summary ?? ""), ...words(op.path)].map(singular);
  if (names.some((w) => CREDENTIAL_WORDS.has(w))) return { destructive: false };
  const sources: [string, string[]][] = [
    ["operationId", words(op.operationId)],
    ["summary", words(op.summary ?? "")],
    // only the last segment, as written: /admin/reset is an action, /seeds a collection of seeds
    ["path", lastLiteralSegment(op.path)],
  ];
  for (const [source, list] of sources) {
    const word = destructiveWord(list, source === "path");
    if (word && (!onOneItem || /\s/.test(word) && MASS_WORDS.has(word.split(" ")[1]))) {
      return { destructive: true, reason: `destructive: ${source} says ${word}` };
    }
  }
  // a write on the service itself (no item named) that its text says switches a mode
  const mode = onOneItem ? null : `${op.summary ?? ""}. ${op.description ?? ""}`.match(MODE_PROSE);
  if (mode) return { destructive: true, reason: `destructive: switches the service into ${mode[0].toLowerCase()}` };
  return (!onOneItem && proseVerdict(op)) || { destructive: false };
}

/** A destructive verdict when the summary or description announces a mass change. */
function proseVerdict(op: Operation): DestructiveVerdict | undefined {
  const text = `${op.summary ?? ""}. ${op.description ?? ""}`;
  const prose = text.match(MASS_PROSE) ?? text.match(SEED_PROSE);
  return prose ? { destructive: true, reason: `destructive: description says "${prose[0].toLowerCase()}"` } : undefined;
}
