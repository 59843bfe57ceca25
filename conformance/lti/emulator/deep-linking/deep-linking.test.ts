import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { type Harness, startHarness } from '../../testing/harness.js';
import { issue } from '../../testing/issue.js';
import { generateSigningKey } from '../keys/key-ring.js';
import type { LaunchTicket } from '../launch/create-launch.js';
import { CLAIM } from '../vocabulary.js';

describe('emulator Deep Linking return URL (DL 2.0 §4.5; lti.md §6)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const dlLaunch = async (deepLinking: Record<string, unknown> = {}) =>
    (await issue(h.emulator, h.tool, { messageType: 'LtiDeepLinkingRequest', deepLinking })).ticket;
  const respond = (ticket: LaunchTicket, claims: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
    h.stub.deepLinkingResponse(
      h.tool.clientId,
      h.emulator.issuer,
      { [CLAIM.deploymentId]: ticket.launch.deploymentId, [CLAIM.deepLinkingData]: ticket.id, ...claims },
      overrides,
    );
  const post = async (ticket: LaunchTicket | string, jwt: string) => {
    const id = typeof ticket === 'string' ? ticket : ticket.id;
    const res = await fetch(h.emulator.endpoints.deepLinkReturn(id), {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ JWT: jwt }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const resourceLink = {
    type: 'ltiResourceLink',
    title: 'Chapter 2',
    url: 'http://127.0.0.1/chapter-2',
    custom: { chapter: '2' },
    lineItem: { scoreMaximum: 5, label: 'Chapter 2 quiz', tag: 'ch2' },
  };

  it('accepts a verified response, creates the resource link and its line item, and the new link launches with its URL and custom', async () => {
    const ticket = await dlLaunch();
    const items = [resourceLink, { type: 'link', url: 'https://example.org/reading', title: 'Reading' }];
    const res = await post(ticket, await respond(ticket, { [CLAIM.contentItems]: items, [CLAIM.deepLinkingMsg]: 'Added 2 items' }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.msg, 'Added 2 items');
    assert.deepEqual(res.body.contentItems, items);
    const [linkId] = res.body.createdResourceLinks as string[];
    assert.equal(h.emulator.directory.resourceLink(linkId as string)?.title, 'Chapter 2');
    const lineItem = h.emulator.lineItems('course-101', h.tool.clientId).find((i) => i.resourceLinkId === linkId);
    assert.deepEqual(
      { label: lineItem?.label, scoreMaximum: lineItem?.scoreMaximum, tag: lineItem?.tag },
      { label: 'Chapter 2 quiz', scoreMaximum: 5, tag: 'ch2' },
    );
    const { claims } = await issue(h.emulator, h.tool, { resourceLinkId: linkId });
    assert.equal(claims[CLAIM.targetLinkUri], 'http://127.0.0.1/chapter-2');
    assert.deepEqual(claims[CLAIM.custom], { chapter: '2' });
    assert.equal((claims[CLAIM.agsEndpoint] as { lineitem: string }).lineitem, h.emulator.endpoints.lineItem('course-101', lineItem?.id as string));
  });

  it('accepts an empty response (the user cancelled)', async () => {
    const ticket = await dlLaunch();
    const res = await post(ticket, await respond(ticket, {}));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.contentItems, []);
  });

  it("refuses responses that are not the tool's, or not for this request", async () => {
    const ticket = await dlLaunch();
    const cases: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
      [{}, { aud: 'https://another-platform.example' }, /failed verification \(aud: check_failed\)/],
      [{}, { iss: 'another-client' }, /failed verification \(iss: check_failed\)/],
      [{}, { nonce: undefined }, /failed verification \(nonce: missing\)/],
      [{ [CLAIM.messageType]: 'LtiResourceLinkRequest' }, {}, /message_type must be LtiDeepLinkingResponse/],
      [{ [CLAIM.deploymentId]: 'other-deployment' }, {}, /deployment_id differs/],
      [{ [CLAIM.deepLinkingData]: 'tampered' }, {}, /data must echo/],
    ];
    for (const [claims, overrides, reason] of cases) {
      const res = await post(ticket, await respond(ticket, claims, overrides));
      assert.equal(res.status, 400, String(reason));
      assert.match(res.body.error_description as string, reason);
    }
  });

  it('refuses a response signed by a key outside the tool JWKS, or without kid', async () => {
    const ticket = await dlLaunch();
    const stranger = await generateSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: h.tool.clientId,
      aud: h.emulator.issuer,
      iat: now,
      exp: now + 60,
      nonce: 'n-1',
      [CLAIM.deploymentId]: 'deployment-1',
      [CLAIM.deepLinkingData]: ticket.id,
    };
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: h.stub.key.kid }).sign(stranger.privateKey);
    assert.match((await post(ticket, forged)).body.error_description as string, /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    const noKid = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(h.stub.key.privateKey);
    assert.deepEqual((await post(ticket, noKid)).body, { error: 'jwt', error_description: 'the response JWT header has no kid' });
  });

  it('refuses a replayed response', async () => {
    const ticket = await dlLaunch();
    const jwt = await respond(ticket, { [CLAIM.contentItems]: [] });
    assert.equal((await post(ticket, jwt)).status, 200);
    const again = await post(ticket, jwt);
    assert.equal(again.status, 400);
    assert.match(again.body.error_description as string, /already used/);
  });

  it('refuses items the request did not accept: types, multiplicity, line items, required fields', async () => {
    const ticket = await dlLaunch({ acceptTypes: ['link', 'ltiResourceLink'], acceptMultiple: false, acceptLineItem: false });
    const cases: [unknown[], RegExp][] = [
      [[{ type: 'html', html: '<p>x</p>' }], /type "html" was not in accept_types/],
      [
        [
          { type: 'link', url: 'https://a.example' },
          { type: 'link', url: 'https://b.example' },
        ],
        /accept_multiple is false/,
      ],
      [[resourceLink], /accept_lineitem is false/],
      [[{ type: 'link', title: 'no url' }], /link needs url/],
    ];
    for (const [items, reason] of cases) {
      const res = await post(ticket, await respond(ticket, { [CLAIM.contentItems]: items }));
      assert.equal(res.status, 400, String(reason));
      assert.match(res.body.error_description as string, reason);
    }
  });

  it('answers 404 for a return URL of no Deep Linking launch', async () => {
    const rl = (await issue(h.emulator, h.tool)).ticket;
    assert.equal((await post(rl, 'x.y.z')).status, 404);
    assert.equal((await post('no-such-launch', 'x.y.z')).status, 404);
  });

  it('refuses an ltiResourceLink without url when configured like Blackboard', async () => {
    const bb = await startHarness({ requireResourceLinkUrl: true });
    try {
      const ticket = (await issue(bb.emulator, bb.tool, { messageType: 'LtiDeepLinkingRequest' })).ticket;
      const jwt = await bb.stub.deepLinkingResponse(bb.tool.clientId, bb.emulator.issuer, {
        [CLAIM.deploymentId]: 'deployment-1',
        [CLAIM.deepLinkingData]: ticket.id,
        [CLAIM.contentItems]: [{ type: 'ltiResourceLink', title: 'No URL' }],
      });
      const res = await fetch(bb.emulator.endpoints.deepLinkReturn(ticket.id), {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: new URLSearchParams({ JWT: jwt }),
      });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error_description: string }).error_description, /ltiResourceLink needs url/);
    } finally {
      await bb.close();
    }
  });
});
