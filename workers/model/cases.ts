/**
 * The test model: cases produced by agents, executed by the executor.
 * Everything here is JSON-serialisable: cases travel through Cloudflare Queues
 * (128 KB per message), so keep them compact.
 */
import type { HttpMethod } from "./api";
import type { CheckName } from "./checks";

export const AGENT_NAMES = [
  "functional-positive",
  "functional-negative",
  "stateful",
  "security-auth",
  "security-injection",
  "data-exposure",
] as const;
export type AgentName = (typeof AGENT_NAMES)[number] | (string & {});

export type CaseKind = "positive" | "negative" | "stateful" | "security" | "performance";

/**
 * A value in a request template. Strings may reference variables extracted by earlier
 * steps: a string that is exactly "{{name}}" becomes the variable's value with its type;
 * "{{name}}" inside a longer string is interpolated as text.
 */
export type TemplateValue = unknown;

export interface RequestBodyTemplate {
  contentType: string;
  /** structured value, serialised by content type (JSON, form, multipart) */
  value?: TemplateValue;
  /** raw text sent as is (malformed JSON, wrong content type probes); wins over value */
  raw?: string;
  /**
   * The second value of a step that must succeed (a setup create): every property when its schema
   * requires nothing (orchestrator/agents/setup-body.ts), or another branch of its union body.
   * When `value` is refused (400/422), or crashes the server twice (5xx, judged), sent once in its place.
   */
  fuller?: TemplateValue;
  /**
   * Multipart parts the spec declares binary (`type: string, format: binary`): sent as files — a
   * file name and application/octet-stream — with the part's text as their content, as a client
   * uploads them; other parts are form fields.
   */
  files?: string[];
}

export interface RequestTemplate {
  method: HttpMethod | (string & {});
  /** OpenAPI path template; every {param} must be filled from pathParams before sending */
  path: string;
  pathParams: Record<string, TemplateValue>;
  /** arrays are sent as repeated keys (form, explode) unless queryStyles says otherwise */
  query: Record<string, TemplateValue>;
  /**
   * OpenAPI serialisation of query parameters whose value is an array or an object, when it is not
   * the default (style form, explode true): e.g. { filter: { style: "deepObject", explode: true } };
   * a parameter described by `content` is sent as that media type's text ({ filter: { contentType: "application/json" } }).
   */
  queryStyles?: Record<string, { style?: string; explode?: boolean; contentType?: string }>;
  headers: Record<string, string>;
  cookies?: Record<string, string>;
  body?: RequestBodyTemplate;
  /**
   * Which configured identity's credentials to send: a name, the default (undefined = first
   * identity), or null for no credentials at all.
   */
  identity?: string | null;
  /** header names whose identity-supplied values are removed (e.g. to drop auth) */
  removeHeaders?: string[];
  /**
   * JSON pointers of body strings that must be unique (e-mails, usernames, slugs, SKUs …): on a
   * conflict (409, or 400/422 saying "already exists") the executor re-rolls them and sends once more.
   */
  unique?: string[];
  /**
   * JSON pointers of body values that are secrets Sentinel chose (the password of a user it signs
   * up): redacted from everything recorded, as is any token the response to this request carries.
   */
  secrets?: string[];
  /**
   * Body members that name another resource by its id (`siteId`): the id a setup step created
   * (variable `variable`) replaces the value at `pointer` when the body still holds `planned` there
   * and the variable has a value. A case that changed or left out the member sends what it chose.
   */
  references?: BodyReference[];
}

export interface BodyReference {
  /** JSON pointer into the body */
  pointer: string;
  variable: string;
  /** the value the planner put there (valid for the member's schema) */
  planned: TemplateValue;
}

/**
 * Properties kept of an object: a name keeps its whole value; `[name, list]` keeps that property
 * reduced the same way (an object, or each object of an array).
 */
export type PickList = (string | [string, PickList])[];

export type Extraction =
  /**
   * JSON pointer into the JSON response body, "" for the whole body; with `pick`, the object found
   * there reduced to those properties (null values left out): a representation to send back
   */
  | { from: "body"; pointer: string; pick?: PickList }
  /**
   * JSON pointer into the JSON body the step itself sent (as sent, after any re-roll of a taken
   * value): a key the client chose — a title, a slug, a username — that the answer does not repeat
   */
  | { from: "request"; pointer: string }
  | { from: "header"; name: string }
  /** the value of the cookie `name` that a Set-Cookie header of the answer sets (a session cookie) */
  | { from: "cookie"; name: string }
  | { from: "status" }
  /** last path segment of the Location header (resolved against the request URL) */
  | { from: "location-id" }
  /** last path segment of the URL the step requested: the id a client chose for a create-by-PUT */
  | { from: "path-id" }
  /**
   * What another user owns among what a listing shows: in the array at `array`, the first element
   * whose `owner` (a pointer inside the element) is set and equals none of the variables named in
   * `notOwners` (the run's own identities); its `value` (a pointer inside the element). Nothing
   * when none of those variables is known: ownership cannot be told then.
   */
  | { from: "foreign"; array: string; value: string; owner: string; notOwners: string[] };

export interface CheckSpec {
  name: CheckName;
  /** check-specific parameters, e.g. { compareWith: "stepId" } for idempotency */
  params?: Record<string, unknown>;
}

/**
 * Prefix of the variables a setup step reads from the first item of a listing (a resource nothing
 * creates, orchestrator/agents/listing.ts): an id the API showed, which the caller may still not be
 * able to read one by one (public listings, summaries), so a 404 for it says nothing about the contract.
 */
export const LISTED_VARIABLE_PREFIX = "listed_";

export interface Step {
  id: string;
  request: RequestTemplate;
  /** variable name -> where to read it from this step's response */
  extract?: Record<string, Extraction>;
  checks: CheckSpec[];
  /**
   * When a step's precondition fails (e.g. the create returned 4xx, or an extraction found
   * nothing), the rest of the chain is skipped and the case is not judged on later steps.
   */
  requireSuccess?: boolean;
  /**
   * Sent in this step's place when it answers 5xx (a setup create the server fails on): a read
   * of the collection's listing extracting the same variable from its first item. The 5xx is
   * still judged; the chain goes on with a resource that already existed.
   */
  instead?: Step;
}

export interface TestCase {
  id: string;
  agent: AgentName;
  operationId: string;
  kind: CaseKind;
  title: string;
  steps: Step[];
  /** free-form tags for reports, e.g. "boundary", "oneOf[1]" */
  tags?: string[];
  /**
   * The one part of the request this case varies, when it varies one ("query inStock",
   * "body /items/0/quantity"): a finding lists its distinct triggers by it.
   */
  focus?: string;
}
