/**
 * Which operations a run tests: `--include` / `--exclude` filters (like Schemathesis's) and the
 * destructive-operation guard. A filter is an operationId, a method (`DELETE`), a method and a
 * path glob (`POST /admin/*`), a path glob (`/users/*`) or a tag (`tag:admin`); `*` matches any
 * run of characters, `/` included. Exclude wins over include. Pure.
 */
import type { HeldBackOperation, Operation } from "../model";
import { escapeRegExp } from "../shared/regexp";
import { classifyOperation, type DestructiveVerdict } from "./destructive";
import { endsSession } from "./ends-session";

export interface OperationSelection {
  include?: string[];
  exclude?: string[];
  /** run destructive operations too (alone, after every other case) */
  allowDestructive?: boolean;
}

export type { HeldBackOperation };

export interface SelectedOperations {
  /** the operations agents plan for */
  operations: Operation[];
  /** among `operations`: the destructive ones (only when allowed), keyed by `METHOD path` */
  destructive: Set<string>;
  heldBack: HeldBackOperation[];
  /** filters that matched no operation of the spec (a usage error for the caller) */
  unmatched: string[];
}

const METHODS = new Set(["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]);

type Matcher = (op: Operation) => boolean;

function globRegExp(glob: string): RegExp {
  const body = glob.split("*").map((part) => escapeRegExp(part)).join(".*");
  return new RegExp(`^${body}$`);
}

/** The matcher of one filter text; throws on an empty or malformed filter. */
export function parseFilter(text: string): Matcher {
  const filter = text.trim();
  if (filter === "") throw new Error("empty filter");
  if (filter.toLowerCase().startsWith("tag:")) {
    const tag = filter.slice(4).trim().toLowerCase();
    if (!tag) throw new Error(`filter "${text}": tag: needs a tag name`);
    return (op) => op.tags.some((t) => t.toLowerCase() === tag);
  }
  const [first, ...rest] = filter.split(/\s+/);
  if (METHODS.has(first.toUpperCase()) && (rest.length > 0 || first === first.toUpperCase())) {
    const method = first.toLowerCase();
    if (rest.length === 0) return (op) => op.method.toLowerCase() === method;
    const path = rest.join(" ");
    if (!path.startsWith("/")) throw new Error(`filter "${text}": the path after ${first.toUpperCase()} must start with /`);
    const re = globRegExp(path);
    return (op) => op.method.toLowerCase() === method && re.test(op.path);
  }
  if (filter.startsWith("/")) {
    const re = globRegExp(filter);
    return (op) => re.test(op.path);
  }
  if (rest.length > 0) throw new Error(`filter "${text}": expected an operationId, METHOD, "METHOD /path", /path or tag:name`);
  return (op) => op.operationId === filter;
}

export const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/**
 * A DELETE that ends the caller's own session (DELETE /session, a path naming no item) is a
 * sign-out, not a collection emptied: it runs after every other case, alone (plan.ts), instead of
 * being held back. `x-sentinel-destructive: true` still wins.
 */
function verdictOf(op: Operation): DestructiveVerdict {
  const verdict = classifyOperation(op);
  if (!verdict.destructive || op.method.toLowerCase() !== "delete" || op.extensions?.["x-sentinel-destructive"] === true) return verdict;
  return endsSession(op) !== undefined ? { destructive: false } : verdict;
}

/** Applies the filters, then holds back destructive operations unless they are allowed. */
export function selectOperations(all: readonly Operation[], selection: OperationSelection = {}): SelectedOperations {
  const include = (selection.include ?? []).map((text) => ({ text, match: parseFilter(text), hits: 0 }));
  const exclude = (selection.exclude ?? []).map((text) => ({ text, match: parseFilter(text), hits: 0 }));
  const operations: Operation[] = [];
  const destructive = new Set<string>();
  const heldBack: HeldBackOperation[] = [];
  for (const op of all) {
    const included = include.filter((f) => f.match(op));
    const excluded = exclude.filter((f) => f.match(op));
    for (const f of [...included, ...excluded]) f.hits++;
    if ((include.length > 0 && included.length === 0) || excluded.length > 0) continue;
    const verdict = verdictOf(op);
    if (verdict.destructive && !selection.allowDestructive) {
      heldBack.push({ operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, reason: verdict.reason! });
      continue;
    }
    if (verdict.destructive) destructive.add(operationKey(op.method, op.path));
    operations.push(op);
  }
  const unmatched = [...include, ...exclude].filter((f) => f.hits === 0).map((f) => f.text);
  return { operations, destructive, heldBack, unmatched };
}
