// The merchants of Stockroom and their API keys (fixed, for testing only).
// node tokens.mjs --exports  prints  export ALICE_KEY=… BOB_KEY=… OPERATOR_KEY=…
export const MERCHANTS = [
  { id: 'm_alice', name: 'Alice Hardware', email: 'alice@stockroom.test', plan: 'growth', role: 'merchant', key: 'sr_alice_9c41d27be6a0f3581d44c2e7' },
  { id: 'm_bob', name: "Bob's Kitchen & Toys", email: 'bob@stockroom.test', plan: 'starter', role: 'merchant', key: 'sr_bob_5e02a8c1f7b3964d0ac1e38b' },
  { id: 'm_ops', name: 'Stockroom operations', email: 'ops@stockroom.test', plan: 'enterprise', role: 'operator', key: 'sr_ops_b7d14e90c25f68a3e1f0d9c4' },
];
if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const [alice, bob, ops] = MERCHANTS;
  if (process.argv.includes('--exports')) console.log(`export ALICE_KEY=${alice.key}\nexport BOB_KEY=${bob.key}\nexport OPERATOR_KEY=${ops.key}`);
  else for (const m of MERCHANTS) console.log(`${m.id} (${m.role}): X-API-Key: ${m.key}`);
}
