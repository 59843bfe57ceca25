import assert from 'node:assert/strict';
import { CLAIM } from '../claims.js';
import { agsEndpointOf, nrpsEndpointOf } from './endpoint-claims.js';
import { SCOPE } from './vocabulary.js';

describe('service endpoint claims of a launch (AGS §3.1, NRPS §3)', () => {
  it('reads the AGS endpoint claim: line item container, own line item and the offered scopes', () => {
    const claims = {
      [CLAIM.agsEndpoint]: {
        scope: [SCOPE.lineItem, SCOPE.score, 42],
        lineitems: 'https://lms.example/ctx/1/lineitems',
        lineitem: 'https://lms.example/ctx/1/lineitems/7/lineitem?type_id=1',
      },
    };
    assert.deepEqual(agsEndpointOf(claims), {
      lineItemsUrl: 'https://lms.example/ctx/1/lineitems',
      lineItemUrl: 'https://lms.example/ctx/1/lineitems/7/lineitem?type_id=1',
      scopes: [SCOPE.lineItem, SCOPE.score],
    });
    assert.deepEqual(agsEndpointOf({ [CLAIM.agsEndpoint]: { lineitem: 'https://lms.example/li' } }), { lineItemUrl: 'https://lms.example/li', scopes: [] });
  });

  it('reads the NRPS claim, and treats absent or malformed claims as absent', () => {
    assert.deepEqual(nrpsEndpointOf({ [CLAIM.nrps]: { context_memberships_url: 'https://lms.example/nrps?memberships=1', service_versions: ['2.0'] } }), {
      membershipsUrl: 'https://lms.example/nrps?memberships=1',
      serviceVersions: ['2.0'],
    });
    assert.equal(nrpsEndpointOf({}), undefined);
    assert.equal(nrpsEndpointOf({ [CLAIM.nrps]: { context_memberships_url: 5 } }), undefined);
    assert.equal(agsEndpointOf({ [CLAIM.agsEndpoint]: 'https://lms.example' }), undefined);
    assert.equal(agsEndpointOf({ [CLAIM.agsEndpoint]: { scope: [SCOPE.score] } }), undefined);
  });
});
