export const spec: any; // eslint-disable-line @typescript-eslint/no-explicit-any
export const SPEC_FILE: string;
export function specText(): string;
