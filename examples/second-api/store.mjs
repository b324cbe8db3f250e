// In-memory state of one Library API server, with its seed data.
import { API_KEYS } from "./keys.mjs";

const SEEDED_AT = "2024-01-15T09:30:00.000Z";

export const SEED_BOOK_ID = "3f1c2a9e-6b7d-4e21-9a0f-1c2d3e4f5a6b";

export function createStore() {
  const editor = API_KEYS.editor.key;
  const authors = new Map([
    [1, { id: 1, name: "Ursula K. Le Guin", birthDate: "1929-10-21", website: "https://www.ursulakleguin.com/", nationality: "US", createdAt: SEEDED_AT, owner: editor }],
    [2, { id: 2, name: "Octavia E. Butler", birthDate: null, createdAt: SEEDED_AT, owner: editor }],
  ]);
  const book = (id, authorId, fields) => [
    id,
    { id, authorId, isbn: null, publishedOn: null, summary: null, ...fields, createdAt: SEEDED_AT, updatedAt: SEEDED_AT, version: 1, owner: editor },
  ];
  const books = new Map([
    book(SEED_BOOK_ID, 1, { title: "The Dispossessed", isbn: "9780061054884", genre: "fiction", pages: 387, tags: ["anarchism", "utopia"], publishedOn: "1974-05-01", publisher: "Harper & Row" }),
    book("8d0b6a52-1f3e-4c7a-b5d9-2e6f7a8b9c0d", 1, { title: "The Lathe of Heaven", genre: "fiction", tags: ["dreams"] }),
    book("c4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70", 2, { title: "Kindred", isbn: "9780807083697", genre: "fiction", pages: 264, tags: ["time travel"], publishedOn: "1979-06-01", publisher: "Doubleday" }),
  ]);
  const reviews = new Map([
    ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", { id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", bookId: SEED_BOOK_ID, rating: 5, comment: "Ambiguous, and better for it.", reviewer: { displayName: "Shevek" }, createdAt: SEEDED_AT }],
  ]);
  const members = new Map([
    [1, { id: 1, name: "Ada Reader", email: "ada@example.org", newsletter: true, birthDate: "1990-02-03", joinedAt: SEEDED_AT, apiKey: "mk_live_0f4c1d9a7b2e" }],
    [2, { id: 2, name: "Grace Borrower", email: "grace@example.org", newsletter: false, birthDate: null, joinedAt: SEEDED_AT, apiKey: "mk_live_93be5a7c1d40" }],
  ]);
  const audit = [
    { id: 1, at: SEEDED_AT, actor: "admin", action: "key.created", target: "reader" },
    { id: 2, at: SEEDED_AT, actor: "admin", action: "key.created", target: "editor" },
    { id: 3, at: SEEDED_AT, actor: "editor", action: "export.downloaded", target: "catalogue.csv" },
  ];
  return {
    authors,
    books,
    reviews,
    members,
    imports: new Map(),
    audit,
    nextAuthorId: 3,
    nextMemberId: 3,
  };
}

const csvCell = (value) => (/[",\n]/.test(String(value ?? "")) ? `"${String(value).replace(/"/g, '""')}"` : String(value ?? ""));

/** The export files, generated from the current state. */
export function exportFiles(store) {
  const rows = (header, records) => [header.join(","), ...records.map((r) => header.map((h) => csvCell(r[h])).join(","))].join("\n") + "\n";
  return {
    "catalogue.csv": rows(["id", "authorId", "title", "isbn", "genre", "publishedOn"], [...store.books.values()]),
    "authors.csv": rows(["id", "name", "birthDate", "nationality"], [...store.authors.values()]),
  };
}
