// Accounts that exist before any run: alice teaches, bob and carol are students, dana teaches the
// one course that is already published. tokens.mjs signs the first three in.
export const SEED_USERS = [
  { username: 'alice', email: 'alice@coursework.test', displayName: 'Alice Moreau', password: 'alice-Teaches-2024', role: 'instructor' },
  { username: 'bob', email: 'bob@coursework.test', displayName: 'Bob Lin', password: 'bob-Learns-2024', role: 'student' },
  { username: 'carol', email: 'carol@coursework.test', displayName: 'Carol Diaz', password: 'carol-Learns-2024', role: 'student' },
  { username: 'dana', email: 'dana@coursework.test', displayName: 'Dana Okafor', password: 'dana-Teaches-2024-x', role: 'instructor' },
];
