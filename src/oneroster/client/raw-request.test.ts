import assert from 'node:assert/strict';
import { sampleUsers } from '../../testing/fakes/fake-oneroster-data.js';
import { type FakeOneRosterProvider, startFakeOneRosterProvider, TOKEN_PATH } from '../../testing/fakes/fake-oneroster-provider.js';
import { OneRosterClientError } from './errors.js';
import { createRawOneRosterRequester } from './raw-request.js';

describe('OneRoster client: raw requests (for tools that judge a provider)', () => {
  let fake: FakeOneRosterProvider;
  before(async () => {
    fake = await startFakeOneRosterProvider({
      version: '1.2',
      paths: 'v1p2',
      auth: 'oauth2',
      clientId: 'id',
      clientSecret: 'secret',
      data: { users: sampleUsers(3) },
      quirks: { errorEnvelope: 'imsx_statusInfo' },
    });
  });
  after(() => fake.close());
  const requester = (clientSecret = 'secret') =>
    createRawOneRosterRequester({
      baseUrl: fake.baseUrl,
      version: '1.2',
      auth: { kind: 'oauth2', tokenUrl: `${fake.url}${TOKEN_PATH}`, clientId: 'id', clientSecret },
    });

  it('returns every status as it is, with headers, text and parsed JSON, and the URL it built', async () => {
    const send = requester();
    const ok = await send({ method: 'GET', service: 'rostering', path: '/users', query: 'filter=sourcedId%3D%27u0002%27&limit=1' });
    assert.equal(ok.status, 200);
    assert.equal(ok.url, `${fake.baseUrl}/rostering/v1p2/users?filter=sourcedId%3D%27u0002%27&limit=1`);
    assert.equal(ok.headers.get('x-total-count'), '1');
    assert.equal((ok.json as { users: { sourcedId: string }[] }).users[0]?.sourcedId, 'u0002');
    const missing = await send({ method: 'GET', service: 'rostering', path: '/users/nobody' });
    assert.equal(missing.status, 404, 'a 404 is an answer, not an exception');
    assert.deepEqual(Object.keys(missing.json as object), ['imsx_statusInfo']);
    assert.match(missing.text, /unknownobject/);
  });

  it('sends no Authorization with authorise: false, and a caller-given one instead of the credential', async () => {
    const send = requester();
    const before = fake.tokenRequests;
    const none = await send({ method: 'GET', service: 'rostering', path: '/users', authorise: false });
    assert.equal(none.status, 401);
    const bogus = await send({ method: 'GET', service: 'rostering', path: '/users', headers: { Authorization: 'Bearer not-a-token' } });
    assert.equal(bogus.status, 401);
    assert.equal(fake.tokenRequests, before, 'no token was fetched for either');
  });

  it('still throws token_error when the token endpoint refuses the client, and refuses a path with a query', async () => {
    await assert.rejects(
      requester('wrong')({ method: 'GET', service: 'rostering', path: '/users' }),
      (e: unknown) => e instanceof OneRosterClientError && e.code === 'token_error' && e.status === 401,
    );
    await assert.rejects(requester()({ method: 'GET', service: 'rostering', path: '/users?limit=1' }), /carry no query/);
  });
});
