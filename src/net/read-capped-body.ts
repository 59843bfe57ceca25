/**
 * Reads a fetch Response body, refusing one larger than `maxBytes` without reading past the limit:
 * Content-Length is checked first (no bytes read at all), then the running total, because a chunked
 * response announces no length. Reading an unbounded body whole is how a broken or hostile server
 * exhausts our memory. Shared by every outbound HTTP client (LTI, OneRoster consumer).
 */
export class BodyTooLargeError extends Error {
  constructor(
    /** Bytes declared by Content-Length, or seen before reading stopped. */
    readonly bytes: number,
    readonly declared: boolean,
    readonly maxBytes: number,
  ) {
    super(declared ? `the response declares ${bytes} bytes, more than the limit of ${maxBytes}` : `the response is larger than the limit of ${maxBytes} bytes`);
  }
}

export async function readCappedBody(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(declared, true, maxBytes);
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
      throw new BodyTooLargeError(total, false, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
