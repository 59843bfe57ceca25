/**
 * The cookies of one simulated browser, enough for LTI launches on loopback: name=value per host
 * (browsers do not separate cookies by port), with Max-Age / Expires deletion and Path prefixes.
 */
interface StoredCookie {
  value: string;
  path: string;
  expiresAt?: number;
}

export class CookieJar {
  private readonly byHost = new Map<string, Map<string, StoredCookie>>();

  constructor(private readonly now: () => number = Date.now) {}

  store(url: URL, setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const cookie: StoredCookie = { value: pair.slice(eq + 1).trim(), path: '/' };
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=').map((s) => s.trim());
        if (key.toLowerCase() === 'path' && val.startsWith('/')) cookie.path = val;
        if (key.toLowerCase() === 'max-age') cookie.expiresAt = this.now() + Number(val) * 1000;
        if (key.toLowerCase() === 'expires' && cookie.expiresAt === undefined) cookie.expiresAt = Date.parse(val);
      }
      const jar = this.byHost.get(url.hostname) ?? new Map<string, StoredCookie>();
      this.byHost.set(url.hostname, jar);
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= this.now()) jar.delete(name);
      else jar.set(name, cookie);
    }
  }

  /** The Cookie header for a request to `url`, or undefined when there is none. */
  header(url: URL): string | undefined {
    const jar = this.byHost.get(url.hostname);
    if (!jar) return undefined;
    const pairs = [...jar.entries()]
      .filter(([, c]) => (c.expiresAt === undefined || c.expiresAt > this.now()) && url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  /** The names of the live cookies of a host. */
  names(hostname: string): string[] {
    return [...(this.byHost.get(hostname)?.entries() ?? [])].filter(([, c]) => c.expiresAt === undefined || c.expiresAt > this.now()).map(([name]) => name);
  }
}
