export type Role = "reader" | "editor" | "admin";
export const API_KEYS: Record<"reader" | "editor" | "admin", { key: string; role: Role }>;
export function hasRole(role: string, needed: string): boolean;
export function callerForKey(value: string): { name: string; role: Role; key: string } | undefined;
export function identityArgs(): string[];
