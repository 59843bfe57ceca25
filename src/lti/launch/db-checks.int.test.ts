import assert from 'node:assert/strict';
import type { TenantId } from '../../tenancy/ids.js';
import { createTenant } from '../../tenancy/tenants.js';
import { cliContext } from '../../testing/test-app.js';
import { freshDatabase, type TestDatabase } from '../../testing/test-database.js';
import { CLAIM } from '../claims.js';
import { LtiError, type LtiErrorCode } from '../errors.js';
import { issueLoginState } from '../login/login-states.js';
import { stateCookieName } from '../login/state-binding.js';
import { createPlatform } from '../registrations/platforms.js';
import { loadRegistration, type Registration } from '../registrations/registration.js';
import { checkDeployment } from './check-deployment.js';
import { checkNonce } from './check-nonce.js';
import { checkState } from './check-state.js';
import type { LaunchContext, LaunchDeps, LaunchInput } from './launch-context.js';

/** The checks that read the database — state (#1), nonce (#10), deployment (#13) — each on its own. */
describe('LTI launch checks backed by the database', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let registration: Registration;
  let tenantId: TenantId;
  const now = new Date('2026-03-01T12:00:00Z');
  const deps = (): LaunchDeps =>
    ({
      db: database.db,
      now: () => now,
      baseUrl: 'https://edhub.example.org',
      clockToleranceSeconds: 60,
      idTokenMaxAgeSeconds: 3600,
      allowAnonymousLaunches: false,
    }) as LaunchDeps;

  before(async () => {
    database = await freshDatabase();
    tenantId = (await createTenant(database.db, cliContext, 'DB checks')).id as TenantId;
    const p = await createPlatform(database.db, cliContext, tenantId, {
      issuer: 'https://lms.example.edu',
      clientId: 'c1',
      authUrl: 'https://lms.example.edu/auth',
      tokenUrl: 'https://lms.example.edu/token',
      jwksUrl: 'https://lms.example.edu/jwks',
      deployments: ['d1'],
    });
    registration = (await loadRegistration(database.db, p.id)) as Registration;
  });
  after(() => database.close());

  async function fails(run: () => Promise<unknown>, code: LtiErrorCode) {
    await assert.rejects(run, (err: unknown) => err instanceof LtiError && err.code === code);
  }
  const issue = (ltiDeploymentId?: string) => issueLoginState(database.db, { tenantId, platformId: registration.id, ltiDeploymentId, now, ttlSeconds: 600 });
  const input = (over: Partial<LaunchInput>): LaunchInput => ({
    idToken: 'h.p.s',
    state: undefined,
    storageTarget: undefined,
    storageState: undefined,
    cookieHeader: undefined,
    origin: undefined,
    ...over,
  });

  it('#1 state: issued, unexpired, unused, bound to the browser — then used up', async () => {
    const { state } = await issue();
    const cookie = `${stateCookieName(state)}=${state}`;
    await fails(() => checkState({ input: input({ state, cookieHeader: 'other=1' }) }, deps()), 'state-mismatch');
    await fails(() => checkState({ input: input({ state, cookieHeader: `${stateCookieName(state)}=forged` }) }, deps()), 'state-mismatch');
    const ctx: LaunchContext = { input: input({ state, cookieHeader: cookie }) };
    assert.equal(await checkState(ctx, deps()), undefined);
    assert.equal(ctx.registration?.id, registration.id);
    assert.equal(ctx.login?.tenantId, tenantId);
    await fails(() => checkState({ input: input({ state, cookieHeader: cookie }) }, deps()), 'state-used');
    await fails(() => checkState({ input: input({ state: 'A'.repeat(43), cookieHeader: cookie }) }, deps()), 'state-unknown');
    await fails(() => checkState({ input: input({ state: '' }) }, deps()), 'state-missing');
    const late = await issue();
    const later = { ...deps(), now: () => new Date(now.getTime() + 601_000) };
    await fails(
      () => checkState({ input: input({ state: late.state, cookieHeader: `${stateCookieName(late.state)}=${late.state}` }) }, later),
      'state-expired',
    );
  });

  it('#1 state: without the cookie but with platform storage offered, asks the browser first and does not use the state up', async () => {
    const { state } = await issue();
    const stop = await checkState({ input: input({ state, storageTarget: 'post_message_forwarding' }) }, deps());
    assert.deepEqual(stop, {
      state,
      idToken: 'h.p.s',
      storageTarget: 'post_message_forwarding',
      platformOrigin: 'https://lms.example.edu',
      key: `edhub.lti.state.${state}`,
    });
    const ctx: LaunchContext = { input: input({ state, storageState: state, origin: 'https://edhub.example.org' }) };
    assert.equal(await checkState(ctx, deps()), undefined);
    assert.ok(ctx.login);
  });

  it('#10 nonce: equal to the issued one, never seen before from this platform, then recorded', async () => {
    const { state, nonce } = await issue();
    const ctx: LaunchContext = { input: input({ state, cookieHeader: `${stateCookieName(state)}=${state}` }) };
    await checkState(ctx, deps());
    const withNonce = (n: unknown) => ({ ...ctx, token: { compact: '', header: {}, claims: { nonce: n, exp: now.getTime() / 1000 + 300 } } });
    await fails(() => checkNonce(withNonce(undefined), deps()), 'nonce-missing');
    await fails(() => checkNonce(withNonce('other'), deps()), 'nonce-mismatch');
    await checkNonce(withNonce(nonce), deps());
    const row = await database.db.selectFrom('lti_used_nonces').selectAll().where('platform_id', '=', registration.id).executeTakeFirstOrThrow();
    assert.equal(row.expires_at.getTime(), now.getTime() + 360_000, 'kept until exp plus the leeway');
    await fails(() => checkNonce(withNonce(nonce), deps()), 'nonce-replayed');
  });

  it('#13 deployment: present, bounded, equal to the login’s lti_deployment_id, registered — or auto-registered by policy', async () => {
    const withDeployment = (id: unknown, loginDeployment: string | null = null, reg = registration): LaunchContext => ({
      input: input({}),
      registration: reg,
      login: { tenantId, platformId: reg.id, nonceHash: Buffer.alloc(32), ltiDeploymentId: loginDeployment },
      token: { compact: '', header: {}, claims: id === undefined ? {} : { [CLAIM.deploymentId]: id } },
    });
    const ok = withDeployment('d1', 'd1');
    await checkDeployment(ok, deps());
    assert.deepEqual([ok.deploymentId, ok.autoRegisterDeployment], ['d1', false]);
    await fails(() => checkDeployment(withDeployment(undefined), deps()), 'deployment-id-missing');
    await fails(() => checkDeployment(withDeployment('x'.repeat(256)), deps()), 'deployment-id-invalid');
    await fails(() => checkDeployment(withDeployment(17), deps()), 'deployment-id-invalid');
    await fails(() => checkDeployment(withDeployment('d1', 'd2'), deps()), 'deployment-id-mismatch');
    await fails(() => checkDeployment(withDeployment('D1'), deps()), 'deployment-unknown');
    const auto = withDeployment('new-course', null, { ...registration, autoRegisterDeployments: true });
    await checkDeployment(auto, deps());
    assert.equal(auto.autoRegisterDeployment, true);
  });
});
