/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of the requests a run sent, for
 * replay in browser devtools, Postman or proxies. Built from the case exchanges when given;
 * otherwise from the findings' request/response pairs, the only exchanges the report holds.
 * An exchange carries the wall-clock time it was sent (`startedAt`); one without it (older runs,
 * findings) is stamped from the run's start in sequence.
 */
import type { CaseResult } from "../model";
import type { ReportInput } from "./types";
import type { Entry, Har, Request as HarRequest, Response as HarResponse } from "har-format";

export interface HarOptions {
  toolVersion?: string;
}

interface HarExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string; durationMs: number; bodySize?: number; bodyTruncated?: boolean };
  error?: string;
  startedAt?: string;
  comment: string;
  extra: Record<string, unknown>;
}

/** A HAR 1.2 archive (the types from @types/har-format). */
export type HarLog = Har;

export function toHar(input: ReportInput, options: HarOptions = {}): HarLog {
  const { run, findings } = input.report;
  const exchanges: HarExchange[] = input.cases
    ? fromCases(input.cases)
    : findings.map((f) => ({
        request: f.request,
        response: f.response,
        comment: `${f.severity} ${f.check}: ${f.title}`,
        extra: { _findingId: f.id, _check: f.check, _severity: f.severity },
      }));

  let clock = run.startedAt ? Date.parse(run.startedAt) : 0;
  if (!Number.isFinite(clock)) clock = 0;
  const entries = exchanges.map((x): Entry => {
    const real = x.startedAt ? Date.parse(x.startedAt) : NaN;
    const started = new Date(Number.isFinite(real) ? real : clock).toISOString();
    const time = Math.max(0, x.response?.durationMs ?? 0);
    clock += Math.ceil(time);
    return {
      startedDateTime: started,
      time,
      request: harRequest(x.request),
      response: harResponse(x.response),
      cache: {},
      timings: { send: 0, wait: time, receive: 0 },
      comment: x.comment,
      ...(x.error ? { _error: x.error } : {}),
      ...x.extra,
    };
  });

  return {
    log: {
      version: "1.2",
      creator: { name: "Sentinel", version: options.toolVersion ?? "0" },
      entries,
      comment: `Sentinel run ${run.id} against ${run.target} (seed ${run.seed})`,
    },
  };
}

function fromCases(cases: CaseResult[]): HarExchange[] {
  return cases.flatMap((c) =>
    c.exchanges.map((x) => ({
      request: x.request,
      response: x.response,
      error: x.error,
      startedAt: x.startedAt,
      comment: `${c.caseId} ${x.stepId} (${c.agent}, ${c.status})`,
      extra: { _caseId: c.caseId, _stepId: x.stepId, _operationId: c.operationId },
    })),
  );
}

const nameValues = (headers: Record<string, string>) => Object.entries(headers).map(([name, value]) => ({ name, value }));

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

function harRequest(r: HarExchange["request"]): HarRequest {
  let queryString: { name: string; value: string }[] = [];
  try {
    queryString = [...new URL(r.url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    // not an absolute URL: leave the query list empty, the url field still has it
  }
  const mimeType = headerValue(r.headers, "content-type") ?? "application/octet-stream";
  const body = r.body ?? "";
  const hasBody = body !== "";
  return {
    method: r.method.toUpperCase(),
    url: r.url,
    httpVersion: "HTTP/1.1",
    cookies: [],
    headers: nameValues(r.headers),
    queryString,
    ...(hasBody ? { postData: { mimeType, text: body } } : {}),
    headersSize: -1,
    bodySize: utf8Length(body),
  };
}

function harResponse(r: HarExchange["response"]): HarResponse {
  // HAR has no "no response"; browsers record failed requests as status 0 the same way.
  if (!r) {
    return { status: 0, statusText: "", httpVersion: "HTTP/1.1", cookies: [], headers: [], content: { size: 0, mimeType: "x-unknown" }, redirectURL: "", headersSize: -1, bodySize: -1 };
  }
  const size = r.bodySize ?? utf8Length(r.body);
  return {
    status: r.status,
    statusText: STATUS_TEXT[r.status] ?? "",
    httpVersion: "HTTP/1.1",
    cookies: [],
    headers: nameValues(r.headers),
    content: {
      size,
      mimeType: headerValue(r.headers, "content-type") ?? "x-unknown",
      text: r.body,
      ...(r.bodyTruncated ? { comment: "body truncated by Sentinel" } : {}),
    },
    redirectURL: headerValue(r.headers, "location") ?? "",
    headersSize: -1,
    bodySize: size,
  };
}

const STATUS_TEXT: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
  415: "Unsupported Media Type", 422: "Unprocessable Content", 429: "Too Many Requests",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};
