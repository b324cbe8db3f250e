/**
 * Differential SQL injection oracles: evidence without any error text.
 *
 * Boolean pair (params falseStep, controlStep, baselineStep, repeatStep): a benign value, the
 * value closed by a quote (or, numeric, left bare) ANDed with a falsehood, ORed with a tautology,
 * the tautology without the quote that would break out of a string literal (control), and the
 * tautology again. Only a server that reads the text as SQL answers the tautology, twice, with
 *  - more records (items, or the total a listing reports) than all three others, or
 *  - records none of the others returned (a page cap hides the count: identities still differ),
 *    while the falsehood returned nothing the benign value did not, or
 *  - one record (by its id) that neither the benign value, the falsehood nor the control got.
 * An answer without a body (204) is an empty listing. Guards: a server ignoring the input answers all alike; a free-text search matches the control's
 * words as well as the tautology's, and its falsehood is then no subset of the benign answer; a
 * listing in random order, or one that grew meanwhile, is caught by the repeat.
 *
 * Time pair (params delayMs, baselineStep, controlStep, repeatStep, repeatControlStep): the payload
 * asks the engine to sleep delayMs, its control is the same text sleeping 0. Evidence when the
 * payload and its repeat both take ≥ 90% of the delay while the baseline and both controls take
 * under half of it.
 */
import type { ReceivedResponse } from "../../model";
import { isPlainObject, isSuccess, jsonValue, listingTotal, listResults, paramNumber, paramString, recordIdentity, stepRecord } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

interface Answer {
  ok: boolean;
  status: number;
  /** identities of a listing's records */
  records?: string[];
  /** the total a listing wrapper reports besides its page */
  total?: number;
  /** the identity (id-like field) of a single record */
  single?: string;
}

function answer(response: ReceivedResponse): Answer {
  const out: Answer = { ok: isSuccess(response.status), status: response.status };
  if (!out.ok) return out;
  // a 2xx without a body (the 204 many APIs answer for an empty page or search) lists nothing
  if (response.status === 204 || response.body.trim() === "") {
    out.records = [];
    return out;
  }
  const body = jsonValue(response);
  const list = listResults(body);
  if (list) {
    out.records = list.map(recordIdentity);
    out.total = listingTotal(body);
  } else if (isPlainObject(body)) {
    const identity = recordIdentity(body);
    // only an id-like field names a record; a whole-body identity would compare volatile fields
    if (!identity.startsWith("{")) out.single = identity;
  }
  return out;
}

function responseOf(ctx: CheckContext, param: string): ReceivedResponse | undefined {
  return stepRecord(ctx, paramString(ctx, param))?.exchange.response;
}

function quoted(text: string): string {
  const single = text.replace(/\s+/g, " ");
  return JSON.stringify(single.length > 80 ? single.slice(0, 79) + "…" : single);
}

const size = (a: Answer) => a.records?.length ?? 0;

/** The listing verdict, or undefined when the listings do not show an injection. */
function listingEvidence(truthy: Answer, repeat: Answer, benign: Answer, falsy: Answer, control: Answer): string | undefined {
  const others = [benign, falsy, control];
  if (!truthy.records || !repeat.records) return undefined;
  // every other answer is a listing or a refusal; a refusal counts as no records
  if (others.some((a) => a.ok && !a.records)) return undefined;
  const most = Math.max(...others.map(size));
  if (size(truthy) > most && size(repeat) > most) return `${size(truthy)} records where the benign value returned ${size(benign)}, its falsehood ${size(falsy)} and the unquoted control ${size(control)}`;
  if (others.every((a) => a.total !== undefined) && truthy.total !== undefined && repeat.total !== undefined) {
    const mostTotal = Math.max(...others.map((a) => a.total!));
    if (truthy.total > mostTotal && repeat.total > mostTotal) return `a total of ${truthy.total} records where the benign value reported ${benign.total}, its falsehood ${falsy.total} and the unquoted control ${control.total}`;
  }
  // a page cap: the counts can tie, the records cannot
  const seen = new Set(others.flatMap((a) => a.records ?? []));
  const fresh = truthy.records.filter((id) => !seen.has(id));
  const stable = repeat.records.length === truthy.records.length && truthy.records.every((id, i) => repeat.records![i] === id);
  const falsyBenign = (falsy.records ?? []).every((id) => (benign.records ?? []).includes(id));
  if (fresh.length > 0 && stable && falsyBenign && size(truthy) >= size(benign)) {
    return `${fresh.length} record(s) no other value returned (${fresh.slice(0, 3).join(", ")}), ${size(truthy)} in all where the benign value returned ${size(benign)}, its falsehood ${size(falsy)} and the unquoted control ${size(control)}`;
  }
  return undefined;
}

/** The single-record verdict: the tautology reads a record none of the others does. */
function recordEvidence(truthy: Answer, repeat: Answer, benign: Answer, falsy: Answer, control: Answer): string | undefined {
  if (truthy.single === undefined || repeat.single !== truthy.single) return undefined;
  const others = [benign, falsy, control];
  if (others.some((a) => a.ok && a.single === undefined)) return undefined;
  if (others.some((a) => a.single === truthy.single)) return undefined;
  if (falsy.ok && falsy.single !== benign.single) return undefined;
  const was = (a: Answer) => (a.ok ? `record ${a.single}` : String(a.status));
  return `record ${truthy.single} where the benign value got ${was(benign)}, its falsehood ${was(falsy)} and the unquoted control ${was(control)}`;
}

export function booleanPairVerdict(ctx: CheckContext): CheckResult | undefined {
  if (paramString(ctx, "falseStep") === undefined) return undefined;
  const responses = [responseOf(ctx, "baselineStep"), responseOf(ctx, "falseStep"), responseOf(ctx, "controlStep")];
  if (responses.some((r) => r === undefined)) return skip("a step of the boolean pair has no response: no comparison");
  const [benign, falsy, control] = (responses as ReceivedResponse[]).map(answer);
  const truthy = answer(ctx.response);
  if (!truthy.ok) return pass(`the tautology was refused (${truthy.status})`);
  const repeated = responseOf(ctx, "repeatStep");
  // older plans carry no repeat: the tautology stands for itself
  const repeat = repeated ? answer(repeated) : truthy;
  const evidence = listingEvidence(truthy, repeat, benign, falsy, control) ?? recordEvidence(truthy, repeat, benign, falsy, control);
  const where = paramString(ctx, "location") ?? "the input";
  if (evidence) return fail(`the tautology ${quoted(paramString(ctx, "payload") ?? "")} in ${where} returned ${evidence}: the input is interpreted as SQL`, "behaviour:boolean-pair");
  return pass(`the tautology in ${where} returned nothing its falsehood, the benign value or the control did not`);
}

/** Time-based evidence, or undefined. Without a baseline there is nothing to compare with. */
export function delayVerdict(ctx: CheckContext): string | undefined {
  const delayMs = paramNumber(ctx, "delayMs");
  const baseline = responseOf(ctx, "baselineStep");
  if (delayMs === undefined || !baseline) return undefined;
  const slow = (r: ReceivedResponse | undefined) => r !== undefined && r.durationMs >= delayMs * 0.9;
  const quick = (r: ReceivedResponse) => r.durationMs < delayMs * 0.5;
  const repeat = paramString(ctx, "repeatStep") === undefined ? ctx.response : responseOf(ctx, "repeatStep");
  const controls = ["controlStep", "repeatControlStep"].filter((p) => paramString(ctx, p) !== undefined).map((p) => responseOf(ctx, p));
  // a named control that got no answer rules nothing out: the pair stays unjudged rather than confirmed
  const answered = controls.filter((r): r is ReceivedResponse => r !== undefined);
  if (!slow(ctx.response) || !slow(repeat) || !quick(baseline) || answered.length < controls.length || !answered.every(quick)) return undefined;
  const twice = repeat === ctx.response ? "" : ` (again ${Math.round(repeat!.durationMs)} ms)`;
  const zero = answered.length > 0 ? `, the same text sleeping 0 s took ${answered.map((r) => Math.round(r.durationMs)).join(" and ")} ms` : "";
  return `took ${Math.round(ctx.response.durationMs)} ms${twice} vs ${Math.round(baseline.durationMs)} ms baseline${zero} (payload delay ${delayMs} ms)`;
}
