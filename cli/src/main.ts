/**
 * Entry of the `sentinel` CLI (bundled to cli/dist/sentinel.mjs, started by cli/bin/sentinel.mjs,
 * which has already moved to node@22 when it could). Dispatches the command.
 * Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage/spec/infrastructure error.
 */
import { CliError, EXIT_ERROR, EXIT_OK } from "./exit-codes";
import { loadCommand } from "./load-command";
import { loadHelp, parseLoadFlags } from "./load-options";
import { mainHelp, parseCommandLine, runHelp } from "./options";
import { findPackageRoot, packageVersion } from "./package-root";
import { llmCommand, llmHelp } from "./llm-command";
import { oraclesCommand, ORACLES_HELP, parseOraclesArgs } from "./oracles-command";
import { runCommand } from "./run-command";
import { resolveSettings } from "./settings";

async function main(argv: string[]): Promise<number> {
  const packageRoot = findPackageRoot(import.meta.url);

  const version = packageVersion(packageRoot);
  try {
    if (argv[0] === "load") {
      if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(loadHelp() + "\n");
        return EXIT_OK;
      }
      return await loadCommand(parseLoadFlags(argv.slice(1)), { stdout: process.stdout, stderr: process.stderr, packageRoot, version });
    }
    if (argv[0] === "oracles") {
      if (argv.includes("--help") || argv.includes("-h") || argv.length === 1) {
        process.stdout.write(ORACLES_HELP + "\n");
        return EXIT_OK;
      }
      return await oraclesCommand(parseOraclesArgs(argv.slice(1)), { stdout: process.stdout, stderr: process.stderr, packageRoot, version });
    }
    if (argv[0] === "llm" && (argv.includes("--help") || argv.includes("-h") || argv.length === 1)) {
      process.stdout.write(llmHelp() + "\n");
      return EXIT_OK;
    }
    const parsed = parseCommandLine(argv);
    if (parsed.command === "help") {
      process.stdout.write(mainHelp());
      return EXIT_OK;
    }
    if (parsed.command === "version") {
      process.stdout.write(`sentinel ${version} (node ${process.version})\n`);
      return EXIT_OK;
    }
    if (parsed.command === "llm" && parsed.llm) {
      return await llmCommand(parsed.llm.action, parsed.llm.args, { stdout: process.stdout });
    }
    if (parsed.help) {
      process.stdout.write(runHelp() + "\n");
      return EXIT_OK;
    }
    const settings = resolveSettings(parsed.flags);
    return await runCommand(settings, { stdout: process.stdout, stderr: process.stderr, packageRoot, version });
  } catch (err) {
    if (err instanceof CliError) {
      const label = err.kind === "usage" ? "usage error" : err.kind === "spec" ? "spec error" : "error";
      process.stderr.write(`sentinel: ${label}: ${err.message}\n`);
      for (const line of err.details) process.stderr.write(`${line}\n`);
      if (err.kind === "usage") process.stderr.write(`Run \`${helpCommand(argv[0])}\` for the flags.\n`);
      return EXIT_ERROR;
    }
    process.stderr.write(`sentinel: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_ERROR;
  }
}

/** Where a usage error of this command is explained. */
function helpCommand(command: string | undefined): string {
  return command === "load" || command === "oracles" || command === "llm" ? `sentinel ${command} --help` : "sentinel run --help";
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`sentinel: ${String(err)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);
