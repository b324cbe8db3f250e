/**
 * A sign-out the spec documents ends the given session it is sent with (sign-out-api.ts). Its
 * cases run after every other case (orchestrator/ends-session.ts): sent early, alice's session
 * would end and her later cases — the item bob reads — would all be refused, so the buggy
 * variant's BOLA would go unseen. The clean variant draws no finding.
 */
import { describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";
import { SESSIONS, signOutSpec, startSignOutApi, type Variant } from "./sign-out-api";

// the README's form for an apiKey taken in a cookie: the identity entry named like the cookie
const identities = Object.entries(SESSIONS).map(([name, sid]) => ({ name, headers: { sid } }));

async function run(variant: Variant, seed: number) {
  const api = await startSignOutApi(variant);
  try {
    const result = await planAndRun({ model: parseModel(JSON.stringify(signOutSpec)), baseUrl: api.url, seed, identities });
    return { ...result, signedOut: api.signedOut() };
  } finally {
    await api.close();
  }
}

describe("a documented sign-out of the given sessions", () => {
  it("runs after every other case: alice's session lasts until then, and bob's read of her item is found", async () => {
    const { findings, cases, results, signedOut } = await run("buggy", 5);
    expect(signedOut).toContain("alice");
    const signsOut = (c: (typeof cases)[number]) => c.steps.some((s) => String(s.request.method).toUpperCase() === "POST" && s.request.path === "/logout");
    const firstSignOut = cases.findIndex(signsOut);
    expect(firstSignOut).toBeGreaterThan(0);
    expect(cases.slice(firstSignOut).every(signsOut)).toBe(true);
    // before the sign-outs, no request with alice's session was refused
    const refused = results.slice(0, firstSignOut).flatMap((r) => r.exchanges.filter((e) => e.response?.status === 401 && /sid=alice/.test(e.request.headers.Cookie ?? e.request.headers.cookie ?? "")));
    expect(refused.map((e) => `${e.request.method} ${e.request.url}`)).toEqual([]);
    expect(findings.some((f) => f.check === "bola" && f.operation.path === "/items/{id}"), describeFindings(findings)).toBe(true);
  }, 90_000);
  it.each([5, 13])("the clean variant draws no finding (seed %i)", async (seed) => {
    const { findings } = await run("clean", seed);
    expect(findings.length, describeFindings(findings)).toBe(0);
  }, 90_000);
});
