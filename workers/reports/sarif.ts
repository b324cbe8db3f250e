/**
 * SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDEs): one rule
 * per check name, one result per finding. Findings live on API operations, not in source
 * lines, so each result has a logical location (the operation); when the caller knows the
 * spec file (the CLI does) it adds a physical location pointing at the operation in it.
 */
import { checkInfo, SEVERITY_RANK, type Severity } from "../model";
import { operationLabel, sortFindings } from "./severity";
import { findingScript, stepLines } from "./script";
import { otherTriggers, triggerLabel } from "./triggers";
import type { ReportFinding, ReportInput } from "./types";
import type { Invocation, Location, Log, ReportingDescriptor, Result } from "sarif";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

export type SarifLevel = Extract<Result.level, "error" | "warning" | "note">;

export function sarifLevel(severity: Severity): SarifLevel {
  if (severity === "critical" || severity === "high") return "error";
  if (severity === "medium") return "warning";
  return "note";
}

/** GitHub's `security-severity` scale (0-10): it ranks security alerts by this number. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };

export interface SarifOptions {
  toolVersion?: string;
  /** the spec file as the repository knows it, e.g. "api/openapi.yaml" */
  specUri?: string;
  /** 1-based line of an operation in the spec file, when known */
  operationLine?: (operation: ReportFinding["operation"]) => number | undefined;
}

/** A SARIF 2.1.0 log (the OASIS types from @types/sarif; the schema test stays the authority). */
export type SarifLog = Log;

export function toSarif(input: ReportInput, options: SarifOptions = {}): SarifLog {
  const { run, findings } = input.report;
  const ordered = sortFindings(findings);

  // One rule per check, rated by the worst severity seen for it.
  const worst = new Map<string, Severity>();
  for (const f of ordered) {
    const seen = worst.get(f.check);
    if (!seen || SEVERITY_RANK[f.severity] > SEVERITY_RANK[seen]) worst.set(f.check, f.severity);
  }
  const ruleIds = [...worst.keys()].sort();
  const rules = ruleIds.map((id): ReportingDescriptor => {
    const doc = checkInfo(id);
    const severity = worst.get(id)!;
    return {
      id,
      name: pascalCase(id),
      shortDescription: { text: doc.title },
      fullDescription: { text: doc.help },
      help: { text: doc.help, markdown: `**${doc.title}** (\`${id}\`)\n\n${doc.help}` },
      defaultConfiguration: { level: sarifLevel(severity) },
      properties: { tags: ["api", ...doc.tags], "security-severity": SECURITY_SEVERITY[severity], precision: "high" },
    };
  });

  const results = ordered.map((f): Result => {
    const logical = {
      name: operationLabel(f.operation),
      fullyQualifiedName: f.operation.operationId ? `${f.operation.operationId}` : operationLabel(f.operation),
      kind: "function",
    };
    const location: Location = { logicalLocations: [logical], message: { text: operationLabel(f.operation) } };
    if (options.specUri) {
      const line = options.operationLine?.(f.operation);
      location.physicalLocation = {
        artifactLocation: { uri: options.specUri },
        ...(line && line > 0 ? { region: { startLine: line } } : {}),
      };
    }
    const script = findingScript(f);
    const chain = f.steps.length > 1 ? `\nSteps:\n${stepLines(f.steps).join("\n")}` : "";
    const others = otherTriggers(f);
    const alsoText = others.length > 0 ? `\nAlso triggered by:\n${others.map((t) => `- ${triggerLabel(t)}: ${t.curl}`).join("\n")}` : "";
    return {
      ruleId: f.check,
      ruleIndex: ruleIds.indexOf(f.check),
      level: sarifLevel(f.severity),
      message: {
        text: `${f.title} — ${operationLabel(f.operation)}: ${f.message}${chain}\nReproduce: ${script ? `the script in properties.script (every step), or the last step: ${f.curl}` : f.curl}${alsoText}`,
      },
      locations: [location],
      partialFingerprints: { "sentinelFinding/v1": f.id },
      properties: {
        severity: f.severity,
        agent: f.agent,
        operationId: f.operation.operationId,
        method: f.operation.method.toUpperCase(),
        path: f.operation.path,
        url: f.request.url,
        status: f.response?.status ?? null,
        curl: f.curl,
        ...(f.steps.length > 1 ? { steps: f.steps.map((st) => ({ id: st.id, method: st.request.method.toUpperCase(), url: st.request.url, status: st.response?.status ?? null, ...(st.finding ? { finding: true } : {}) })) } : {}),
        ...(script ? { script } : {}),
        ...(f.triggers && f.triggers.length > 1 ? { triggers: f.triggers } : {}),
      },
    };
  });

  const invocation: Invocation = {
    executionSuccessful: run.status !== "errored",
    properties: { runId: run.id, status: run.status, target: run.target, seed: run.seed, stats: run.stats },
  };
  if (run.startedAt) invocation.startTimeUtc = run.startedAt;
  if (run.finishedAt) invocation.endTimeUtc = run.finishedAt;

  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Sentinel",
            ...(options.toolVersion ? { version: options.toolVersion, semanticVersion: options.toolVersion } : {}),
            rules,
          },
        },
        automationDetails: { id: `sentinel/${run.spec.title || "api"}/${run.id}` },
        invocations: [invocation],
        results,
      },
    ],
  };
}

function pascalCase(check: string): string {
  return check
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}
