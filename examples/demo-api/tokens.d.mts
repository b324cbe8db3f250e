export const DEMO_USERS: readonly string[];
export function demoToken(sub: string, options?: { expiresAt?: number; alg?: string; secret?: string }): string;
export function demoTokens(): Record<"alice" | "bob" | "admin", string>;
export function identityArgs(names?: string[]): string[];
