export const DEMO_JWT_SECRET: string;
export function signJwt(payload: Record<string, unknown>, options?: { secret?: string; alg?: string }): string;
export function verifyJwt(
  token: string,
  options?: { secret?: string; allowNone?: boolean; nowSeconds?: number },
): { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };
