export function validate(value: unknown, schema: unknown, options: { schemas: Record<string, unknown>; mode?: "request" | "response" }, at?: string, errors?: string[]): string[];
export function coerceText(raw: string, schema: unknown, schemas: Record<string, unknown>): unknown;
export function isArraySchema(schema: unknown, schemas: Record<string, unknown>): boolean;
export function resolveRef(schema: unknown, schemas: Record<string, unknown>): any; // eslint-disable-line @typescript-eslint/no-explicit-any
export function typeOf(value: unknown): string;
