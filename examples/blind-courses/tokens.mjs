// Signs alice (instructor), bob and carol (students) in at a running server and prints their
// access tokens (15 minutes): `eval "$(node tokens.mjs --port N --exports)"` sets
// INSTRUCTOR_TOKEN, STUDENT1_TOKEN and STUDENT2_TOKEN.
import { SEED_USERS } from './seed.mjs';

const argv = process.argv.slice(2);
const port = Number(argv[argv.indexOf('--port') + 1]);
const names = { alice: 'INSTRUCTOR_TOKEN', bob: 'STUDENT1_TOKEN', carol: 'STUDENT2_TOKEN' };
for (const u of SEED_USERS.filter((x) => names[x.username])) {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username: u.username, password: u.password }),
  });
  if (r.status !== 200) throw new Error(`${u.username}: ${r.status} ${await r.text()}`);
  const { access_token: t } = await r.json();
  process.stdout.write(argv.includes('--exports') ? `export ${names[u.username]}=${t}\n` : `${u.username} ${t}\n`);
}
