/**
 * RFC 3986 §2.1 percent-encoding as RFC 5849 §3.6 requires it: every octet except the unreserved
 * characters (ALPHA, DIGIT, `-`, `.`, `_`, `~`) is encoded, in upper-case hex. encodeURIComponent
 * leaves `!*'()` alone, and `'` is in every OneRoster filter value, so those are encoded here too
 * (fact sheet §6.3: "this is where most bugs are: spaces and quotes in filter values").
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Splits a query string into decoded name/value pairs the way a server reads it: as
 * application/x-www-form-urlencoded (`+` is a space), which is also how RFC 5849 §3.4.1.3.1 says the
 * query enters the signature.
 */
export function decodeQuery(search: string): Array<[string, string]> {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return [];
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const [name, value] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
      return [formDecode(name), formDecode(value)];
    });
}

/** A malformed escape (`%zz`) is kept as written rather than failing the whole request. */
function formDecode(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
