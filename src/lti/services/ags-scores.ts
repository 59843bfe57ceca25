import { checkScore, type Score, scoreBody } from './score.js';
import type { LtiServiceClient } from './service-client.js';
import { lineItemSubresource } from './service-urls.js';
import { MEDIA_TYPE, SCOPE } from './vocabulary.js';

/**
 * AGS 2.0 §3.4: POST the score to `{lineitem}/scores` (the path segment goes before any query string:
 * service-urls.ts). The score is checked first (`score-invalid`, nothing sent). Any 2xx is success
 * (platforms answer 200, 201 or 204); the answer's body is not read. A 409 — how the emulator (and
 * some platforms) refuse a score older than the one applied — is a `conflict` error; other refusals
 * keep their status and the platform's reason.
 */
export async function postScore(client: LtiServiceClient, lineItemUrl: string, score: Score): Promise<{ status: number }> {
  const body = scoreBody(checkScore(score));
  const url = lineItemSubresource(lineItemUrl, 'scores');
  return client.call({ service: 'ags.scores', method: 'POST', url, scopes: [SCOPE.score], contentType: MEDIA_TYPE.score, body }, (res) => ({
    status: res.status,
  }));
}
