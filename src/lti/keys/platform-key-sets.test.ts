import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair } from 'jose';
import { LtiError } from '../errors.js';
import type { OutboundHttp, OutboundRequest } from '../outbound/outbound-http.js';
import { cacheSeconds, createPlatformKeySets, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS } from './platform-key-sets.js';

describe('platform key set cache (unit)', () => {
  it('reads Cache-Control: max-age, no-store/no-cache, absent, capped', () => {
    assert.equal(cacheSeconds('public, max-age=120'), 120);
    assert.equal(cacheSeconds('max-age="60"'), 60);
    assert.equal(cacheSeconds('no-store'), 0);
    assert.equal(cacheSeconds('no-cache, max-age=100'), 0);
    assert.equal(cacheSeconds(null), DEFAULT_TTL_SECONDS);
    assert.equal(cacheSeconds('private'), DEFAULT_TTL_SECONDS);
    assert.equal(cacheSeconds('max-age=99999999'), MAX_TTL_SECONDS);
  });

  it('only RSA signing keys count; concurrent lookups share one fetch; non-JSON and non-200 answers are jwks-unavailable', async () => {
    const rsa = { ...(await exportJWK((await generateKeyPair('RS256')).publicKey)), kid: 'rsa' };
    const ec = { ...(await exportJWK((await generateKeyPair('ES256')).publicKey)), kid: 'ec' };
    const enc = { ...rsa, kid: 'enc', use: 'enc' };
    let calls = 0;
    let answer: { status: number; body: string } = { status: 200, body: JSON.stringify({ keys: [rsa, ec, enc] }) };
    const outbound: OutboundHttp = {
      async request(_req: OutboundRequest) {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        return { ...answer, headers: new Headers({ 'cache-control': 'max-age=300' }), url: 'x' };
      },
    };
    let now = new Date('2026-01-01T00:00:00Z');
    const sets = createPlatformKeySets(outbound, () => now);
    await Promise.all([sets.keyFor('https://a/jwks', 'rsa'), sets.keyFor('https://a/jwks', 'rsa')]);
    assert.equal(calls, 1);
    for (const kid of ['ec', 'enc']) {
      await assert.rejects(sets.keyFor('https://a/jwks', kid), (e: unknown) => e instanceof LtiError && e.code === 'kid-unknown');
    }
    answer = { status: 200, body: 'not json' };
    await assert.rejects(sets.keyFor('https://b/jwks', 'rsa'), (e: unknown) => e instanceof LtiError && e.code === 'jwks-unavailable');
    answer = { status: 404, body: '{}' };
    now = new Date(now.getTime() + 3600_000);
    await assert.rejects(sets.keyFor('https://c/jwks', 'rsa'), (e: unknown) => e instanceof LtiError && e.code === 'jwks-unavailable');
    const before = calls;
    assert.ok(await sets.keyFor('https://a/jwks', 'rsa'), 'stale-if-error: the expired set still serves its key');
    assert.equal(calls, before + 1, 'after trying to refresh it');
  });
});
