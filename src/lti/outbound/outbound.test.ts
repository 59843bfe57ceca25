import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAddressPolicy, isSpecialPurposeAddress } from './address-policy.js';
import { createOutboundHttp, OutboundError, type OutboundFailure } from './outbound-http.js';

describe('outbound HTTP address policy (SSRF)', () => {
  it('knows the special-purpose ranges, IPv4 and IPv6, including IPv4-mapped IPv6', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      assert.ok(isSpecialPurposeAddress(a), a);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.ok(!isSpecialPurposeAddress(a), a);
  });

  it('by default allows public addresses (not explicitly) and refuses special-purpose ones', () => {
    const policy = createAddressPolicy({ outboundAllow: [], outboundDeny: [] });
    assert.deepEqual(policy.decide('lms.example.edu', ['93.184.216.34']), { allowed: true, explicit: false });
    const refused = policy.decide('internal.example.edu', ['93.184.216.34', '10.0.0.5']);
    assert.equal(refused.allowed, false);
    assert.match((refused as { reason: string }).reason, /10\.0\.0\.5, a loopback, private or special-purpose address/);
    assert.equal(policy.decide('nowhere.example', []).allowed, false);
  });

  it('opens listed hosts and ranges (explicitly), and the deny list wins over everything', () => {
    const policy = createAddressPolicy({ outboundAllow: ['127.0.0.0/8', 'lms.internal', '::1'], outboundDeny: ['93.184.216.0/24', 'blocked.example'] });
    assert.deepEqual(policy.decide('127.0.0.1', ['127.0.0.1']), { allowed: true, explicit: true });
    assert.deepEqual(policy.decide('[::1]', ['::1']), { allowed: true, explicit: true });
    assert.deepEqual(policy.decide('LMS.internal.', ['10.9.9.9']), { allowed: true, explicit: true });
    assert.equal(policy.decide('public.example', ['93.184.216.34']).allowed, false);
    assert.equal(policy.decide('blocked.example', ['8.8.8.8']).allowed, false);
    assert.equal(policy.decide('half.example', ['127.0.0.1', '10.0.0.1']).allowed, false, 'every address must be allowed');
  });

  it('refuses malformed entries at construction', () => {
    assert.throws(() => createAddressPolicy({ outboundAllow: ['10.0.0.0/33'], outboundDeny: [] }), /prefix must be 0–32/);
    assert.throws(() => createAddressPolicy({ outboundAllow: ['lms.example/8'], outboundDeny: [] }), /needs an IP address/);
  });
});

describe('outbound HTTP client (global fetch, time limit, size cap, checked redirects)', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/ok') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      if (path === '/echo' && req.method === 'POST') {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => res.writeHead(201).end(`${req.headers.authorization}|${body}`));
        return;
      }
      if (path === '/big') return res.writeHead(200, { 'Content-Length': '5000' }).end('x'.repeat(5000));
      if (path === '/big-chunked') {
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write('y'.repeat(1000));
        return res.end();
      }
      if (path === '/slow') return setTimeout(() => res.writeHead(200).end('late'), 1000);
      if (path === '/redirect') return res.writeHead(302, { Location: '/ok' }).end();
      if (path === '/redirect-out') return res.writeHead(302, { Location: 'http://10.0.0.1/' }).end();
      if (path === '/loop') return res.writeHead(302, { Location: '/loop' }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const client = (allow: string[] = ['127.0.0.0/8']) =>
    createOutboundHttp(createAddressPolicy({ outboundAllow: allow, outboundDeny: [] }), { timeoutMs: 300, maxResponseBytes: 4096 }, async () => [
      '93.184.216.34',
    ]);
  async function failsWith(p: Promise<unknown>, reason: OutboundFailure, message?: RegExp) {
    await assert.rejects(p, (err: unknown) => err instanceof OutboundError && err.reason === reason && (!message || message.test(err.message)));
  }

  it('GETs and POSTs, following a redirect that stays allowed', async () => {
    const ok = await client().request({ method: 'GET', url: `${base}/redirect` });
    assert.deepEqual([ok.status, ok.body, ok.url], [200, '{"ok":true}', `${base}/ok`]);
    const posted = await client().request({ method: 'POST', url: `${base}/echo`, headers: { Authorization: 'Bearer t' }, body: '{"a":1}' });
    assert.deepEqual([posted.status, posted.body], [201, 'Bearer t|{"a":1}']);
  });

  it('refuses loopback unless allowed, plain http to public hosts, and redirects into private space', async () => {
    await failsWith(client([]).request({ method: 'GET', url: `${base}/ok` }), 'denied', /127\.0\.0\.1/);
    await failsWith(client().request({ method: 'GET', url: 'http://lms.example.edu/x' }), 'denied', /plain http/);
    await failsWith(client().request({ method: 'GET', url: `${base}/redirect-out` }), 'denied', /10\.0\.0\.1/);
    await failsWith(client().request({ method: 'GET', url: `${base}/loop` }), 'redirect');
    await failsWith(client().request({ method: 'GET', url: 'file:///etc/passwd' }), 'invalid-url');
    await failsWith(client().request({ method: 'GET', url: 'https://user:pw@lms.example.edu/' }), 'invalid-url');
  });

  it('caps the response size (declared or streamed) and the time', async () => {
    await failsWith(client().request({ method: 'GET', url: `${base}/big` }), 'too-large', /declares 5000 bytes/);
    await failsWith(client().request({ method: 'GET', url: `${base}/big-chunked` }), 'too-large');
    await failsWith(client().request({ method: 'GET', url: `${base}/slow` }), 'timeout');
  });
});
