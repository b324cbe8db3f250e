/**
 * A oneOf body with a discriminator (payments-api.ts: card | bank transfer), buggy → findings,
 * clean → none:
 *  - each branch is sent against a branch the server accepted (functional-positive): the valid
 *    bank transfer refused with 400 while the card payment is accepted is a refused valid request;
 *  - mutations happen inside the branch a body belongs to (functional-negative): a card without
 *    its required `last4` reaches the code and crashes it (500).
 */
import { describe, expect, it } from "vitest";
import { describeFindings, parseModel, planAndRun } from "./detection-harness";
import { PAYMENT_TOKENS, paymentsSpec, startPaymentsApi, type Variant } from "./payments-api";

const identities = Object.entries(PAYMENT_TOKENS).map(([name, token]) => ({ name, headers: { Authorization: `Bearer ${token}` } }));

async function run(variant: Variant, seed: number) {
  const api = await startPaymentsApi(variant);
  try {
    return await planAndRun({ model: parseModel(JSON.stringify(paymentsSpec)), baseUrl: api.url, seed, identities });
  } finally {
    await api.close();
  }
}

describe("a oneOf body: every branch sent and judged, mutations inside each branch", () => {
  it("finds the refused bank transfer and the card without last4 that crashes the server", async () => {
    const { findings } = await run("buggy", 3);
    const list = describeFindings(findings);
    const pay = findings.filter((f) => f.operation.path === "/invoices/{id}/payments");
    expect(pay.some((f) => f.check === "positive_data_acceptance"), list).toBe(true);
    expect(pay.some((f) => f.check === "not_a_server_error" && /"method":"card"/.test(f.request?.body ?? "") && !/last4/.test(f.request?.body ?? "")), list).toBe(true);
  }, 90_000);
  it.each([3, 11])("the clean variant draws no finding (seed %i)", async (seed) => {
    const { findings } = await run("clean", seed);
    expect(findings.length, describeFindings(findings)).toBe(0);
  }, 90_000);
});
