export const schemas: Record<string, Record<string, unknown>>;
