export function validate(value: unknown, schema: Record<string, unknown>, schemas: Record<string, Record<string, unknown>>): string[];
export function coerceParameter(raw: string, schema: Record<string, unknown>): unknown;
