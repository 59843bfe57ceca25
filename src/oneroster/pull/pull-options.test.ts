import assert from 'node:assert/strict';
import type { TenantId } from '../../tenancy/ids.js';
import { cliContext } from '../../testing/test-app.js';
import { type PullOptions, PullOptionsError, resolvePullOptions } from './pull-options.js';

const base: PullOptions = {
  tenantId: '00000000-0000-4000-8000-000000000001' as TenantId,
  baseUrl: 'https://sis.example/ims/oneroster/',
  credentials: { kind: 'oauth2', clientId: 'c', clientSecret: 's' },
  mode: 'full',
  ctx: cliContext,
};

describe('pull options', () => {
  it('normalises the base URL and derives the token URL from its origin', () => {
    const r = resolvePullOptions(base);
    assert.equal(r.baseUrl, 'https://sis.example/ims/oneroster');
    assert.deepEqual(r.auth, { kind: 'oauth2', clientId: 'c', clientSecret: 's', tokenUrl: 'https://sis.example/oauth/token' });
  });

  it('refuses what cannot be pulled, each with its reason', () => {
    const refused = (o: Partial<PullOptions>, message: RegExp) =>
      assert.throws(
        () => resolvePullOptions({ ...base, ...o } as PullOptions),
        (e: unknown) => e instanceof PullOptionsError && message.test(e.message),
      );
    refused({ baseUrl: 'sis.example/ims/oneroster' }, /not an absolute URL/);
    refused({ baseUrl: 'https://admin:hunter2@sis.example/ims/oneroster' }, /holds a user name or password/);
    refused({ baseUrl: 'ftp://sis.example/ims/oneroster' }, /must be http\(s\), not ftp:/);
    refused({ mode: 'full', since: new Date('2026-01-01T00:00:00Z') }, /since applies to delta pulls only/);
    refused({ version: '2.0' as '1.2' }, /version must be 1\.1 or 1\.2/);
    refused({ credentials: { kind: 'oauth2', clientId: 'c', clientSecret: '' } }, /needs a client id and a client secret/);
  });
});
