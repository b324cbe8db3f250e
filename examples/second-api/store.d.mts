export const SEED_BOOK_ID: string;
export function createStore(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
export function exportFiles(store: unknown): Record<string, string>;
