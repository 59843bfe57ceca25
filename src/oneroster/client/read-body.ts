import { OneRosterClientError } from './errors.js';

/**
 * Reads a response body, refusing one larger than `maxBytes`. A page of 10,000 users is a few MiB; a
 * body far past that is a broken or hostile provider, and reading it whole would exhaust memory.
 * Content-Length is checked first (no bytes read at all), then the running total, because a chunked
 * response announces no length.
 */
export async function readCappedBody(response: Response, maxBytes: number, method: string, url: string): Promise<Uint8Array> {
  const tooLarge = (seen: string) =>
    new OneRosterClientError(
      { code: 'too_large', status: response.status, url, method },
      `${method} ${url}: response body ${seen} exceeds the ${maxBytes}-byte limit (maxResponseBytes)`,
    );
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(`of ${declared} bytes`);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`of at least ${total} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
