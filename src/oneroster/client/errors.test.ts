import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleUsers } from '../../testing/fakes/fake-oneroster-data.js';
import { all, type FakeAndClient, fakeAndClient } from '../../testing/fakes/oneroster-client-for-fake.js';
import { createOneRosterClient } from './create-client.js';
import { OneRosterClientError } from './errors.js';
import { parseStatusInfo } from './status-info.js';

/** Answers every request to a URL containing `match` with `response`; the rest goes to the real fetch. */
const answering =
  (match: string, response: () => Response): typeof fetch =>
  async (input, init) =>
    String(input).includes(match) ? response() : fetch(input, init);

function isClientError(check: (error: OneRosterClientError) => void) {
  return (error: unknown) => {
    assert.ok(error instanceof OneRosterClientError, String(error));
    check(error);
    return true;
  };
}

describe('OneRoster client: errors', () => {
  let env: FakeAndClient | undefined;
  afterEach(async () => {
    await env?.fake.close();
    env = undefined;
  });

  for (const errorEnvelope of ['unwrapped', 'imsx_statusInfo', 'imsx_StatusInfo'] as const) {
    it(`reads codeMajor, codeMinor and description from the ${errorEnvelope} status envelope (fact sheet §5.1)`, async () => {
      env = await fakeAndClient({ data: { users: sampleUsers(3) }, quirks: { errorEnvelope } });
      await assert.rejects(
        env.client.get('rostering', '/users/nobody'),
        isClientError((e) => {
          assert.deepEqual(
            [e.code, e.status, e.codeMajor, e.codeMinor, e.description],
            ['http_error', 404, 'failure', 'unknownobject', 'Unknown Object: user nobody'],
          );
          assert.match(
            e.message,
            /^GET http:\/\/127\.0\.0\.1:\d+\/ims\/oneroster\/rostering\/v1p2\/users\/nobody answered 404: failure\/unknownobject: Unknown Object: user nobody$/,
          );
        }),
      );
      await assert.rejects(
        all(env.client.list('rostering', '/users', { filter: "school.sourcedId='sch1'" })),
        isClientError((e) => assert.deepEqual([e.status, e.codeMinor], [400, 'invalid_filter_field'])),
      );
    });
  }

  it('parses the envelope with a lone codeMinor field object, and finds nothing in a body that is not one', () => {
    assert.deepEqual(
      parseStatusInfo({ imsx_statusInfo: { imsx_codeMajor: 'failure', imsx_CodeMinor: { imsx_codeMinorField: { imsx_codeMinorFieldValue: 'forbidden' } } } }),
      {
        codeMajor: 'failure',
        codeMinor: 'forbidden',
      },
    );
    assert.equal(parseStatusInfo({ error: 'nope' }), undefined);
    assert.equal(parseStatusInfo('text'), undefined);
  });

  it('reports a non-JSON error body by status and its first 200 characters', async () => {
    const html = `<html><body>${'Bad gateway. '.repeat(80)}</body></html>`;
    env = await fakeAndClient(
      { data: {} },
      { fetch: answering('/users', () => new Response(html, { status: 500, headers: { 'content-type': 'text/html' } })) },
    );
    await assert.rejects(
      env.client.get('rostering', '/users/u1'),
      isClientError((e) => {
        assert.equal(e.status, 500);
        assert.equal(e.codeMinor, undefined);
        assert.equal(e.description, `${html.slice(0, 200)}…`);
        assert.ok(e.message.endsWith(`answered 500 with a body that is not a OneRoster status envelope: ${html.slice(0, 200)}…`));
      }),
    );
    assert.deepEqual(env.sleeps, [], '500 is not retried');
  });

  it('refuses a body larger than maxResponseBytes by its Content-Length, without retrying', async () => {
    env = await fakeAndClient({ data: { users: sampleUsers(250) } }, { maxResponseBytes: 10_000 });
    await assert.rejects(
      all(env.client.list('rostering', '/users')),
      isClientError((e) => {
        assert.equal(e.code, 'too_large');
        assert.equal(e.status, 200);
        assert.match(e.message, /response body of \d{5,} bytes exceeds the 10000-byte limit \(maxResponseBytes\)$/);
      }),
    );
    assert.equal(env.fake.requests.filter((r) => r.path.endsWith('/users')).length, 1);
  });

  it('refuses a chunked body (no Content-Length) once it grows past the limit', async () => {
    let pulled = 0;
    const endless = () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            pulled++;
            controller.enqueue(new TextEncoder().encode(' '.repeat(1024)));
          },
        }),
        { status: 200 },
      );
    env = await fakeAndClient({ data: {} }, { fetch: answering('/users', endless), maxResponseBytes: 8 * 1024 });
    await assert.rejects(
      all(env.client.list('rostering', '/users')),
      isClientError((e) => {
        assert.equal(e.code, 'too_large');
        assert.match(e.message, /response body of at least 9216 bytes exceeds the 8192-byte limit/);
      }),
    );
    assert.ok(pulled < 20, `stopped reading (pulled ${pulled} chunks)`);
  });

  it('does not follow a redirect, and says where it pointed', async () => {
    const redirector = createServer((_req, res) => res.writeHead(301, { location: 'https://elsewhere.example/ims/oneroster' }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/ims/oneroster`;
      env = await fakeAndClient({ data: {} }, { baseUrl: base });
      await assert.rejects(
        env.client.get('rostering', '/users/u1'),
        isClientError((e) => {
          assert.equal(e.status, 301);
          assert.match(e.message, /a redirect to https:\/\/elsewhere\.example\/ims\/oneroster; redirects are not followed/);
        }),
      );
    } finally {
      redirector.closeAllConnections();
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it('reports a 2xx that is not OneRoster JSON as invalid_response', async () => {
    const odd: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.includes('/users')) return new Response('OK', { status: 200 });
      if (url.includes('/orgs')) return Response.json({ count: 0, status: 'ok' });
      return fetch(input, init);
    };
    env = await fakeAndClient({ data: {} }, { fetch: odd });
    await assert.rejects(
      env.client.get('rostering', '/users/u1'),
      isClientError((e) => {
        assert.equal(e.code, 'invalid_response');
        assert.match(e.message, /users\/u1: the body is not JSON: OK$/);
      }),
    );
    await assert.rejects(
      all(env.client.list('rostering', '/orgs')),
      isClientError((e) => {
        assert.equal(e.code, 'invalid_response');
        assert.match(e.message, /no array-valued property in \{count, status\}$/);
      }),
    );
  });

  it('rejects bad configuration at construction', () => {
    const auth = { kind: 'oauth1', consumerKey: 'k', consumerSecret: 's' } as const;
    assert.throws(() => createOneRosterClient({ baseUrl: 'http://sis.example/ims/oneroster', version: '1.2', auth }), /plain http to sis\.example/);
    assert.throws(() => createOneRosterClient({ baseUrl: 'https://sis.example/ims/oneroster?x=1', version: '1.2', auth }), /must not carry a query/);
    assert.throws(
      () => createOneRosterClient({ baseUrl: 'https://sis.example/ims/oneroster', version: '1.2', auth, pageSize: 10_001 }),
      /pageSize must be an integer in \[1, 10000\]/,
    );
    assert.doesNotThrow(() => createOneRosterClient({ baseUrl: 'http://sis.example/ims/oneroster', version: '1.2', auth, allowInsecureHttp: true }));
  });
});
