/**
 * RFC 6750 §2.1: the token of an `Authorization: Bearer <token>` header. `undefined` when there is no
 * header, `null` when there is one in another scheme or shape; callers word their own refusal.
 */
export function bearerToken(header: string | undefined): string | undefined | null {
  if (header === undefined) return undefined;
  return /^Bearer +(\S+) *$/i.exec(header)?.[1] ?? null;
}
