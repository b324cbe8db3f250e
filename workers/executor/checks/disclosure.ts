/**
 * error_disclosure: an error answer (4xx/5xx) that carries a database's own error text or a stack
 * trace tells any client which engine, tables, columns, statements and source files are behind
 * the API (OWASP API8:2023, security misconfiguration). Judged on answers to ordinary and invalid
 * input, and on answers to injection payloads for stack traces only (`params.databaseErrors:
 * false`): a database's words after a payload are the injection check's. Guards, so that an honest API
 * is never flagged: a 2xx/3xx body is data and may quote anything; text the request (or an
 * earlier step of the case) sent is an echo; text the operation documents (its responses'
 * examples and descriptions) is its contract; an operation that takes SQL from its client (a
 * database console) answers with the database's errors by design. Patterns: error-signatures.ts.
 */
import type { Operation, ReceivedResponse } from "../../model";
import { DATABASE_ERRORS, STACK_TRACES } from "./error-signatures";
import { requestText } from "./injection";
import { operationLabel, responseJson } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

/** Characters of an answer searched (error answers are short; a page of HTML is not read to its end). */
const SCAN_CHARS = 100_000;

/** The answer's text as a client reads it: a JSON body's strings decoded (`\n` in a stack is a newline), else the body. */
function answerText(response: ReceivedResponse): string {
  const parsed = responseJson(response);
  if (!parsed.ok) return response.body.slice(0, SCAN_CHARS);
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(parsed.value);
  return out.join("\n").slice(0, SCAN_CHARS);
}

/** What every step of the case sent, decoded: text found there is an echo, not a disclosure. */
function sentText(ctx: CheckContext): string {
  const own = requestText(ctx);
  const others = Object.values(ctx.steps)
    .filter((r) => r.step.id !== ctx.step.id)
    .map((r) => {
      let url = r.request.url;
      try {
        url = decodeURIComponent(url.replace(/\+/g, " "));
      } catch {
        // keep the raw URL
      }
      return [url, r.request.body ?? ""].join("\n");
    });
  return [own, ...others].join("\n");
}

const SQL_WORDS = /\b(?:SQL|SOQL|HQL|JPQL|CQL)\b|query language/i;

/** An operation that takes SQL (or another query language) from its client: a database console. */
function takesQueries(op: Operation | undefined): boolean {
  if (!op) return false;
  const texts = [op.summary, op.description, ...op.parameters.map((p) => `${p.name} ${p.description ?? ""}`), op.requestBody ? JSON.stringify(op.requestBody) : ""];
  return texts.some((t) => typeof t === "string" && SQL_WORDS.test(t));
}

/** The operation's responses as the spec gives them, with the schemas they name (examples at any level are documented text). */
function documentedText(ctx: CheckContext): string {
  if (!ctx.operation) return "";
  const own = JSON.stringify(ctx.operation.responses);
  const named = new Set([...own.matchAll(/#\/components\/schemas\/([^"#/]+)/g)].map((m) => decodeURIComponent(m[1])));
  return [own, ...[...named].map((name) => JSON.stringify(ctx.model.schemas[name] ?? null))].join("\n");
}

function quoted(text: string): string {
  const single = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(single.length > 100 ? single.slice(0, 99) + "…" : single);
}

export function error_disclosure(ctx: CheckContext): CheckResult {
  const { status } = ctx.response;
  if (status < 400) return skip(`${status} is no error answer: its body is data, which may quote anything`);
  if (takesQueries(ctx.operation)) return skip("the operation takes a query language from its client: the database's errors are its answers");
  const text = answerText(ctx.response);
  if (text === "") return pass("an empty answer discloses nothing");
  let sent: string | undefined;
  let documented: string | undefined;
  const known = (found: string) => {
    sent ??= sentText(ctx);
    documented ??= documentedText(ctx);
    return sent.includes(found) || documented.includes(found) || documented.includes(JSON.stringify(found).slice(1, -1));
  };
  const label = operationLabel(ctx.request.method, ctx.step.request.path);
  for (const signature of ctx.params.databaseErrors === false ? [] : DATABASE_ERRORS) {
    const match = signature.pattern.exec(text);
    if (match && !known(match[0])) return fail(`${label} answered ${status} with database error text (${signature.name}): ${quoted(context(text, match.index, match[0].length))}`, `database:${signature.name}`);
  }
  for (const trace of STACK_TRACES) {
    const frames = [...text.matchAll(trace.pattern)].filter((m) => !known(m[0]));
    if (frames.length >= trace.min) return fail(`${label} answered ${status} with a ${trace.name} stack trace: ${quoted(frames[0][0])}`, `stack:${trace.name}`, "low");
  }
  return pass("no database error text or stack trace in the answer");
}

/** The match with a little of the line around it, for the message. */
function context(text: string, index: number, length: number): string {
  const start = Math.max(0, text.lastIndexOf("\n", index) + 1, index - 40);
  const lineEnd = text.indexOf("\n", index + length);
  return text.slice(start, Math.min(lineEnd < 0 ? text.length : lineEnd, index + length + 40));
}
