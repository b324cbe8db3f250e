// The users of Taskboard and their personal tokens (they exist from start-up; fixed, for testing only).
// node tokens.mjs --exports  prints  export ALICE_TOKEN=… BOB_TOKEN=… CAROL_TOKEN=… ROOT_TOKEN=…
export const USERS = [
  { id: 1, username: 'alice', displayName: 'Alice Martin', role: 'member', timezone: 'Europe/Paris', token: 'tb_alice_3f9a0c7e5d2b41a8b6c4e1f0' },
  { id: 2, username: 'bob', displayName: 'Bob Chen', role: 'member', timezone: 'America/New_York', token: 'tb_bob_8e1d4b6a2c9f07e3d5a1b8c2' },
  { id: 3, username: 'carol', displayName: 'Carol Diaz', role: 'member', timezone: 'UTC', token: 'tb_carol_c5a7e2f9b1d3068a4e7c9b1d' },
  { id: 4, username: 'root', displayName: 'Board admin', role: 'admin', timezone: 'UTC', token: 'tb_root_1b6f8d3a9e2c5074b8d1f6a3' },
];
if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  if (process.argv.includes('--exports')) for (const u of USERS) console.log(`export ${u.username.toUpperCase()}_TOKEN=${u.token}`);
  else for (const u of USERS) console.log(`${u.username} (id ${u.id}, ${u.role}): Authorization: Bearer ${u.token}`);
}
