/**
 * Two detection rules on a small API of private notes (scoped-notes-api.ts), buggy → finding,
 * clean → none:
 *  - a SQL tautology inside `LIKE '%…%'` of a trimmed input (a trailing `-- ` comment no longer
 *    comments) whose empty answers are 204 without a body: the comment-free, balanced-quote pair
 *    (`' OR 'a' LIKE 'a`) counts a 204 as an empty listing (before, a bodiless answer stopped the
 *    comparison, and the only pair needed a comment);
 *  - BOLA on a note keyed by a non-numeric reference whose owner has more notes than a page: the
 *    owner's full page misses the new note while the attacker's whole listing lacks it, so the
 *    collection is scoped per user and the attacker's read is judged (before: "privacy not
 *    established", skipped).
 */
import { describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";
import { NOTE_TOKENS, notesSpec, startNotesApi, type Variant } from "./scoped-notes-api";

const identities = Object.entries(NOTE_TOKENS).map(([name, token]) => ({ name, headers: { Authorization: `Bearer ${token}` } }));

async function run(variant: Variant, seed: number) {
  const api = await startNotesApi(variant);
  try {
    return await planAndRun({ model: parseModel(JSON.stringify(notesSpec)), baseUrl: api.url, seed, identities });
  } finally {
    await api.close();
  }
}

describe("private notes: LIKE search and BOLA behind a full page", () => {
  it("finds the tautology in the LIKE search and the read of another user's note", async () => {
    const { findings } = await run("buggy", 3);
    const list = describeFindings(findings);
    expect(findings.some((f) => f.check === "sql_injection" && f.operation.path === "/notes" && f.signature === "behaviour:boolean-pair" && f.message.includes("' OR 'a' LIKE 'a")), list).toBe(true);
    expect(findings.some((f) => f.check === "bola" && f.operation.path === "/notes/{ref}" && f.operation.method === "get"), list).toBe(true);
  }, 90_000);
  it.each([3, 11])("the clean variant draws no finding (seed %i)", async (seed) => {
    const { findings } = await run("clean", seed);
    expect(findings.length, describeFindings(findings)).toBe(0);
  }, 90_000);
});
