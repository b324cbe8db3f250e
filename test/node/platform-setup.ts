/// <reference types="node" />
/**
 * vitest globalSetup of the node-platform project (vitest.projects.ts): one local platform,
 * started by the CLI's own start-up code (bundle, D1 migrations, `wrangler dev` on a free loopback
 * port, a random bootstrap key), shared by every `*.platform.test.ts` file in --server mode and
 * stopped when the run ends. Tests get it as inject("platform") (cli-helpers.ts: sharedPlatform).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startLocalPlatform } from "../../cli/src/local-platform";
import { buildCli } from "../../scripts/build-cli.mjs";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildCli({ quiet: true });
  const platform = await startLocalPlatform({ packageRoot: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.."), log: () => {} });
  // an interrupted run skips the teardown: wrangler and workerd must not outlive it
  process.once("exit", platform.killNow);
  project.provide("platform", { url: platform.url, token: platform.token });
  return async () => {
    process.off("exit", platform.killNow);
    await platform.stop();
  };
}
