/**
 * JUnit XML: a <testsuite> per operation, a <testcase> per case (or per finding when no case
 * results are at hand), a <failure> naming the check, its message and the curl line.
 * CI systems (GitHub, GitLab, Jenkins) render this format natively.
 */
import type { CaseResult, CheckOutcome, Exchange } from "../model";
import { curlCommand } from "./curl";
import { escapeXml, escapeXmlAttribute, truncate } from "./escape";
import { operationLabel, sortFindings } from "./severity";
import { findingScript, stepLines } from "./script";
import type { ReportFinding, ReportInput, ReportSkipped } from "./types";

interface TestcaseXml {
  name: string;
  classname: string;
  timeMs: number;
  outcome?: { kind: "failure" | "error" | "skipped"; message: string; type?: string; text?: string };
}

interface SuiteXml {
  name: string;
  operationId: string;
  cases: TestcaseXml[];
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

export function toJUnit(input: ReportInput): string {
  const { report } = input;
  const labels = operationLabels(report.findings, input.operations);
  const suites = input.cases ? suitesFromCases(input.cases, labels, report.findings) : suitesFromFindings(report.findings, report.skipped);
  // The run's own failure is a testcase only when no case stands for it: testcases = cases, always.
  if ((report.run.status === "errored" || report.run.status === "cancelled") && suites.length === 0) {
    suites.push({
      name: "sentinel",
      operationId: "",
      cases: [{ name: `run ${report.run.id}`, classname: "sentinel", timeMs: report.run.durationMs ?? 0, outcome: { kind: "error", message: `run ${report.run.status}` } }],
    });
  }
  if (suites.length === 0) {
    suites.push({ name: "sentinel", operationId: "", cases: [{ name: `run ${report.run.id}`, classname: "sentinel", timeMs: report.run.durationMs ?? 0 }] });
  }

  const all = suites.flatMap((s) => s.cases);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${escapeXmlAttribute(`Sentinel run ${report.run.id}`)}" ${counts(all)} time="${seconds(report.run.durationMs ?? sumTime(all))}">`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite name="${escapeXmlAttribute(suite.name)}" ${counts(suite.cases)} time="${seconds(sumTime(suite.cases))}"${report.run.startedAt ? ` timestamp="${escapeXmlAttribute(report.run.startedAt)}"` : ""}>`,
    );
    lines.push(`    <properties>`);
    lines.push(`      <property name="target" value="${escapeXmlAttribute(report.run.target)}"/>`);
    lines.push(`      <property name="seed" value="${report.run.seed}"/>`);
    lines.push(`      <property name="run.status" value="${escapeXmlAttribute(report.run.status)}"/>`);
    if (suite.operationId) lines.push(`      <property name="operationId" value="${escapeXmlAttribute(suite.operationId)}"/>`);
    lines.push(`    </properties>`);
    for (const tc of suite.cases) lines.push(testcaseXml(tc));
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`, "");
  return lines.join("\n");
}

function counts(cases: TestcaseXml[]): string {
  const n = (kind: string) => cases.filter((c) => c.outcome?.kind === kind).length;
  return `tests="${cases.length}" failures="${n("failure")}" errors="${n("error")}" skipped="${n("skipped")}"`;
}

function sumTime(cases: TestcaseXml[]): number {
  return cases.reduce((t, c) => t + c.timeMs, 0);
}

function testcaseXml(tc: TestcaseXml): string {
  const open = `    <testcase name="${escapeXmlAttribute(tc.name)}" classname="${escapeXmlAttribute(tc.classname)}" time="${seconds(tc.timeMs)}"`;
  if (!tc.outcome) return `${open}/>`;
  const { kind, message, type, text } = tc.outcome;
  const attrs = `message="${escapeXmlAttribute(message)}"${type ? ` type="${escapeXmlAttribute(type)}"` : ""}`;
  const inner = text ? `<${kind} ${attrs}>${escapeXml(text)}</${kind}>` : `<${kind} ${attrs}/>`;
  return `${open}>\n      ${inner}\n    </testcase>`;
}

/** operationId -> "GET /pets/{petId}": every operation of the spec, else what the findings tell. */
function operationLabels(findings: ReportFinding[], operations: ReportInput["operations"]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const f of findings) labels.set(f.operation.operationId, operationLabel(f.operation));
  for (const [id, op] of Object.entries(operations ?? {})) labels.set(id, operationLabel(op));
  return labels;
}

function suitesFromCases(cases: CaseResult[], labels: Map<string, string>, findings: ReportFinding[]): SuiteXml[] {
  const chains = findings.filter((f) => f.steps.length > 1);
  // a chain finding belongs to the case whose exchanges are its steps
  const findingsOf = (c: CaseResult) =>
    c.exchanges.length < 2 ? [] : chains.filter((f) => f.steps.length === c.exchanges.length && f.steps.every((s, i) => s.id === c.exchanges[i].stepId && s.request.url === c.exchanges[i].request.url));
  const byOperation = new Map<string, SuiteXml>();
  for (const c of cases) {
    let suite = byOperation.get(c.operationId);
    if (!suite) {
      const label = labels.get(c.operationId);
      suite = { name: label ? `${label} (${c.operationId})` : c.operationId, operationId: c.operationId, cases: [] };
      byOperation.set(c.operationId, suite);
    }
    suite.cases.push({ name: `${c.caseId} [${c.agent}]`, classname: c.operationId, timeMs: c.durationMs, outcome: caseOutcome(c, findingsOf(c)) });
  }
  return [...byOperation.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function caseOutcome(c: CaseResult, findings: ReportFinding[]): TestcaseXml["outcome"] {
  if (c.status === "skipped") return { kind: "skipped", message: c.reason ?? "skipped" };
  if (c.status === "errored") {
    const errors = c.exchanges.filter((e) => e.error).map((e) => `${e.stepId}: ${e.error}\n${curlCommand(e.request)}`);
    return { kind: "error", message: c.reason ?? "case errored", text: errors.join("\n\n") || undefined };
  }
  const failed = c.checks.filter((o) => o.status === "failed");
  if (c.status !== "failed" && failed.length === 0) return undefined;
  const first = failed[0];
  return {
    kind: "failure",
    type: first?.check ?? "failed",
    message: first ? `${first.check}: ${first.message ?? "failed"}` : (c.reason ?? "failed"),
    text: [failed.map((o) => failureText(o, c.exchanges)).join("\n\n") || c.reason, ...chainText(c, findings)].filter(Boolean).join("\n\n"),
  };
}

/** For a chain: every step in order, and each finding's reproduction script. */
function chainText(c: CaseResult, findings: ReportFinding[]): string[] {
  if (c.exchanges.length < 2) return [];
  const steps = c.exchanges.map((e, i) => `${i + 1}. ${e.stepId}: ${e.request.method.toUpperCase()} ${e.request.url} → ${e.response ? e.response.status : `no response${e.error ? `: ${e.error}` : ""}`}`);
  const scripts = findings.flatMap((f) => {
    const script = findingScript(f);
    return script ? [`reproduce ${f.check} (all steps, bash + curl + jq):\n${script}`] : [];
  });
  return [`steps:\n${steps.join("\n")}`, ...scripts];
}

function failureText(outcome: CheckOutcome, exchanges: Exchange[]): string {
  const lines = [`[${outcome.severity ?? "unrated"}] ${outcome.check}: ${outcome.message ?? "failed"}`, `step: ${outcome.stepId}`];
  const exchange = exchanges.find((e) => e.stepId === outcome.stepId);
  if (exchange) {
    lines.push(`request: ${exchange.request.method.toUpperCase()} ${exchange.request.url}`);
    if (exchange.response) lines.push(`response: ${exchange.response.status} in ${exchange.response.durationMs} ms: ${truncate(exchange.response.body, 500)}`);
    if (exchange.error) lines.push(`error: ${exchange.error}`);
    lines.push(`reproduce: ${curlCommand(exchange.request)}`);
  }
  return lines.join("\n");
}

function suitesFromFindings(findings: ReportFinding[], skipped: ReportSkipped[]): SuiteXml[] {
  const byOperation = new Map<string, SuiteXml>();
  for (const f of sortFindings(findings)) {
    const key = f.operation.operationId || operationLabel(f.operation);
    let suite = byOperation.get(key);
    if (!suite) {
      suite = { name: `${operationLabel(f.operation)} (${f.operation.operationId})`, operationId: f.operation.operationId, cases: [] };
      byOperation.set(key, suite);
    }
    const text = [
      `[${f.severity}] ${f.check}: ${f.message}`,
      `request: ${f.request.method.toUpperCase()} ${f.request.url}`,
      f.response ? `response: ${f.response.status} in ${f.response.durationMs} ms: ${truncate(f.response.body, 500)}` : "response: none",
      `reproduce: ${f.curl}`,
      ...(f.steps.length > 1 ? ["steps:", ...stepLines(f.steps)] : []),
      ...(findingScript(f) ? [`reproduce all steps (bash + curl + jq):\n${findingScript(f)}`] : []),
    ].join("\n");
    suite.cases.push({
      name: `${f.check}: ${f.title}`,
      classname: f.operation.operationId,
      timeMs: f.response?.durationMs ?? 0,
      outcome: { kind: "failure", type: f.check, message: `[${f.severity}] ${f.check}: ${f.title}`, text },
    });
  }
  for (const s of skipped) {
    const key = s.operation.operationId;
    let suite = byOperation.get(key);
    if (!suite) {
      suite = { name: s.operation.method ? `${operationLabel(s.operation)} (${key})` : key, operationId: key, cases: [] };
      byOperation.set(key, suite);
    }
    suite.cases.push({ name: `${s.caseId} [${s.agent}]`, classname: key, timeMs: 0, outcome: { kind: "skipped", message: s.reason } });
  }
  return [...byOperation.values()].sort((a, b) => a.name.localeCompare(b.name));
}
