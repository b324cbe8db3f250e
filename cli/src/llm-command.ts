/**
 * `sentinel llm use PROVIDER:MODEL [--llm-base-url url] [--llm-fallback p:m]… [--llm-budget-tokens n] [--llm-budget-usd x]`
 * writes the `llm:` section of sentinel.yaml (comments and other settings kept);
 * `sentinel llm check [--llm …]` makes one tiny structured call and prints the model, the latency
 * and whether structured output works (exit 0 when it does, 2 otherwise). Each takes only the
 * run flags it uses; any other is a usage error.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { LlmClient } from "../../workers/ai/client";
import { parseModelRef } from "../../workers/ai/config";
import { createProvider } from "../../workers/ai/providers";
import { loadConfigFile } from "./config";
import { CliError, EXIT_ERROR, EXIT_OK } from "./exit-codes";
import { flagLines, parseRunFlagsOf, type RunFlags } from "./options";
import { DEFAULT_CONFIG_NAMES, resolveLlm } from "./settings";

interface Io {
  stdout: { write(text: string): unknown };
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** The run flags each action reads (check calls the first model only: fallbacks and budgets would do nothing). */
const LLM_FLAGS = {
  use: ["llm-base-url", "llm-fallback", "llm-budget-tokens", "llm-budget-usd", "config"],
  check: ["llm", "llm-base-url", "config"],
} as const;

const CONFIG_HELP = { config: "the sentinel.yaml to write (use) or read (check); default ./sentinel.yaml" };

export function llmHelp(): string {
  return [
    "Usage: sentinel llm use PROVIDER:MODEL [options]",
    "       sentinel llm check [options]",
    "",
    "use writes the AI layer's model into the llm: section of sentinel.yaml (comments and other",
    "settings kept). check makes one tiny structured call with the model of --llm or sentinel.yaml",
    "and prints the model, the latency and whether structured output works (exit 0 when it does).",
    "Keys come from the environment only (ANTHROPIC_API_KEY, OPENAI_API_KEY, SENTINEL_LLM_API_KEY).",
    "",
    "Options of llm use:",
    ...flagLines(LLM_FLAGS.use, CONFIG_HELP),
    "",
    "Options of llm check:",
    ...flagLines(LLM_FLAGS.check, CONFIG_HELP),
  ].join("\n");
}

function configPath(flags: RunFlags, cwd: string): string {
  if (flags.config) return path.resolve(cwd, flags.config);
  return DEFAULT_CONFIG_NAMES.map((n) => path.join(cwd, n)).find((f) => existsSync(f)) ?? path.join(cwd, DEFAULT_CONFIG_NAMES[0]);
}

export async function llmCommand(action: string, args: string[], io: Io): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  if (action === "use") {
    const [model, ...rest] = args;
    if (!model || model.startsWith("--")) throw new CliError("sentinel llm use needs PROVIDER:MODEL (e.g. openai:gpt-4o-mini)", "usage");
    try {
      parseModelRef(model);
    } catch (error) {
      throw new CliError((error as Error).message, "usage");
    }
    const flags = parseRunFlagsOf(rest, LLM_FLAGS.use, "sentinel llm use");
    const file = configPath(flags, cwd);
    const doc = parseDocument(existsSync(file) ? readFileSync(file, "utf8") : "");
    if (doc.errors.length > 0) throw new CliError(`${file}: ${doc.errors[0].message}`, "usage");
    const section: Record<string, unknown> = { model };
    if (flags.llmBaseUrl) section["base-url"] = flags.llmBaseUrl;
    if (flags.llmFallback) section.fallback = flags.llmFallback;
    if (flags.llmBudgetTokens !== undefined) section["budget-tokens"] = flags.llmBudgetTokens;
    if (flags.llmBudgetUsd !== undefined) section["budget-usd"] = flags.llmBudgetUsd;
    if (doc.contents === null) doc.contents = doc.createNode({}) as never;
    doc.set("llm", doc.createNode(section));
    writeFileSync(file, doc.toString());
    io.stdout.write(`llm: ${model} written to ${path.relative(cwd, file) || file} (keys stay in the environment)\n`);
    return EXIT_OK;
  }

  const flags = parseRunFlagsOf(args, LLM_FLAGS.check, "sentinel llm check");
  const file = configPath(flags, cwd);
  const fromFile = existsSync(file) ? loadConfigFile(file, env).flags : {};
  const pick = <K extends keyof RunFlags>(key: K): RunFlags[K] => (flags[key] !== undefined ? flags[key] : fromFile[key]);
  const llm = resolveLlm(pick, env);
  if (!llm) throw new CliError("no model: give --llm PROVIDER:MODEL or run `sentinel llm use PROVIDER:MODEL`", "usage");
  const workersAi =
    env.CLOUDFLARE_ACCOUNT_ID && env.CLOUDFLARE_API_TOKEN ? { accountId: env.CLOUDFLARE_ACCOUNT_ID, apiKey: env.CLOUDFLARE_API_TOKEN } : undefined;
  const provider = createProvider(llm, { apiKey: llm.apiKeys?.[llm.provider], ...(workersAi ? { workersAi } : {}) });
  const client = new LlmClient({ providers: [provider], retries: 0, timeoutMs: 30_000, secrets: Object.values(llm.apiKeys ?? {}) as string[] });
  const started = performance.now();
  const answer = await client.structured({
    name: "llm_check",
    instructions: 'Answer {"ok": true, "word": "pong"}.',
    data: [],
    schema: z.object({ ok: z.boolean(), word: z.string() }),
    maxOutputTokens: 40,
  });
  const ms = Math.round(performance.now() - started);
  const summary = client.summary();
  io.stdout.write(
    [
      `model: ${llm.provider}:${llm.model}${llm.baseUrl ? ` at ${llm.baseUrl}` : ""}`,
      `latency: ${ms} ms`,
      `structured output: ${answer.ok ? "ok" : `FAILED (${answer.reason}: ${answer.message})`}`,
      `tokens: ${summary.inputTokens} in, ${summary.outputTokens} out (${summary.costUsd.toFixed(6)} USD)`,
      "",
    ].join("\n"),
  );
  return answer.ok ? EXIT_OK : EXIT_ERROR;
}
