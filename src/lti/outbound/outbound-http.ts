import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { BodyTooLargeError, readCappedBody } from '../../net/read-capped-body.js';
import type { AddressPolicy } from './address-policy.js';

/**
 * Outbound HTTP for the LTI tool (platform key sets, Dynamic Registration, Advantage services), behind one small
 * interface so tests and other callers can give their own. The default goes through Node's global
 * fetch with: the address policy checked for every hop, a time limit over the whole exchange, a cap
 * on the response size, and redirects followed by hand (GET only, at most three, each hop checked).
 *
 * Residual risk, stated: the address check resolves the host itself and fetch resolves it again, so a
 * DNS answer that changes in between (rebinding) is not caught. Pinning the checked address needs an
 * undici dispatcher, which Node 20 does not expose without another dependency.
 */
export interface OutboundRequest {
  /** PUT and DELETE: LTI Advantage line items (AGS §3.2). Only GET follows redirects. */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The URL that answered (after redirects). */
  url: string;
}

export interface OutboundHttp {
  request(req: OutboundRequest): Promise<OutboundResponse>;
}

export type OutboundFailure = 'invalid-url' | 'denied' | 'timeout' | 'too-large' | 'network' | 'redirect';

export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly reason: OutboundFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface OutboundLimits {
  timeoutMs: number;
  maxResponseBytes: number;
}

type Lookup = (host: string) => Promise<string[]>;
const MAX_REDIRECTS = 3;

async function systemLookup(host: string): Promise<string[]> {
  return (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

export function createOutboundHttp(policy: AddressPolicy, limits: OutboundLimits, lookup: Lookup = systemLookup): OutboundHttp {
  async function checkTarget(raw: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundError('invalid-url', `${raw.slice(0, 200)} is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundError('invalid-url', `${url.protocol} URLs are not fetched`);
    if (url.username || url.password) throw new OutboundError('invalid-url', 'URLs with credentials are not fetched');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await lookup(host);
    } catch (err) {
      throw new OutboundError('network', `${host} could not be resolved (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const verdict = policy.decide(host, addresses);
    if (!verdict.allowed) throw new OutboundError('denied', verdict.reason);
    if (url.protocol === 'http:' && !verdict.explicit) {
      throw new OutboundError('denied', `plain http:// to ${host} is refused; use https:// (or list the host in outboundAllow)`);
    }
    return url;
  }

  return {
    async request(req) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
      try {
        let target = req.url;
        for (let hop = 0; ; hop++) {
          const url = await checkTarget(target);
          let res: Response;
          try {
            res = await fetch(url, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual', signal: controller.signal });
          } catch (err) {
            if (controller.signal.aborted) throw new OutboundError('timeout', `${url.host} did not answer within ${limits.timeoutMs} ms`);
            throw new OutboundError('network', `${url.host} could not be reached (${networkCause(err)})`);
          }
          const location = res.headers.get('location');
          if (res.status >= 300 && res.status < 400 && location) {
            await res.body?.cancel().catch(() => {});
            if (req.method !== 'GET') throw new OutboundError('redirect', `${url.host} answered a ${req.method} with a redirect, which is not followed`);
            if (hop >= MAX_REDIRECTS) throw new OutboundError('redirect', `more than ${MAX_REDIRECTS} redirects`);
            target = new URL(location, url).toString();
            continue;
          }
          const body = await readCapped(res, limits.maxResponseBytes, controller);
          return { status: res.status, headers: res.headers, body, url: url.toString() };
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function readCapped(res: Response, max: number, controller: AbortController): Promise<string> {
  try {
    return Buffer.from(await readCappedBody(res, max)).toString('utf8');
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new OutboundError('too-large', err.message);
    if (controller.signal.aborted) throw new OutboundError('timeout', 'the response body did not arrive in time');
    throw new OutboundError('network', `the response body could not be read (${networkCause(err)})`);
  }
}

function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? 'error';
}
