import { BodyTooLargeError, readCappedBody as readCapped } from '../../net/read-capped-body.js';
import { OneRosterClientError } from './errors.js';

/**
 * A provider's response body, capped at `maxBytes` (maxResponseBytes): a page of 10,000 users is a few
 * MiB; a body far past that is a broken or hostile provider.
 */
export async function readCappedBody(response: Response, maxBytes: number, method: string, url: string): Promise<Uint8Array> {
  try {
    return await readCapped(response, maxBytes);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    const seen = err.declared ? `of ${err.bytes} bytes` : `of at least ${err.bytes} bytes`;
    throw new OneRosterClientError(
      { code: 'too_large', status: response.status, url, method },
      `${method} ${url}: response body ${seen} exceeds the ${maxBytes}-byte limit (maxResponseBytes)`,
    );
  }
}
