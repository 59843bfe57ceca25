/** Branded ids: a TenantId cannot be passed where a client id is expected, and vice versa. */
export type TenantId = string & { readonly __brand: 'TenantId' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A TenantId from untrusted text, or undefined when it cannot be one (callers answer 404). */
export function parseTenantId(value: string): TenantId | undefined {
  return isUuid(value) ? (value.toLowerCase() as TenantId) : undefined;
}
