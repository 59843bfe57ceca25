import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { Problem } from '../../problems.js';

/** Media types a package upload may use: the zip itself, or a form with the zip as its first file. */
export const UPLOAD_MEDIA_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream', 'multipart/form-data'];

export interface SavedUpload {
  path: string;
  /** The uploaded file's name (multipart) or a generic one. */
  name: string;
  bytes: number;
  discard(): Promise<void>;
}

/**
 * Streams an upload into a private temporary file, counting bytes: past `limit` the upload is cut
 * off with a 413 and the partial file removed. Never buffered in memory.
 */
export async function saveUpload(stream: Readable, contentType: string | undefined, limit: number): Promise<SavedUpload> {
  const path = join(tmpdir(), `edhub-upload-${randomUUID()}.zip`);
  const discard = () => rm(path, { force: true });
  try {
    const type = contentType?.split(';')[0]?.trim().toLowerCase();
    if (type === 'multipart/form-data') {
      const { name, bytes } = await saveFirstFilePart(stream, contentType as string, path, limit);
      return { path, name, bytes, discard };
    }
    const bytes = await writeLimited(stream, path, limit);
    return { path, name: 'upload.zip', bytes, discard };
  } catch (err) {
    await discard();
    throw err;
  }
}

async function writeLimited(stream: Readable, path: string, limit: number): Promise<number> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limit) done(new Problem('payload-too-large', `the upload exceeds the limit of ${limit} bytes`));
      else done(null, chunk);
    },
  });
  await pipeline(stream, counter, createWriteStream(path, { mode: 0o600 }));
  if (bytes === 0) throw new Problem('malformed-request', 'the upload is empty');
  return bytes;
}

function saveFirstFilePart(stream: Readable, contentType: string, path: string, limit: number): Promise<{ name: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fileSize: limit, fields: 20, parts: 25, fieldSize: 64 * 1024 } });
    } catch (err) {
      reject(new Problem('malformed-request', `the multipart body cannot be read: ${(err as Error).message}`));
      return;
    }
    let saving: Promise<{ name: string; bytes: number }> | undefined;
    parser.on('file', (_field, file, info) => {
      if (saving) {
        file.resume();
        return;
      }
      let truncated = false;
      file.on('limit', () => {
        truncated = true;
      });
      saving = writeLimited(file, path, Number.MAX_SAFE_INTEGER).then((bytes) => {
        if (truncated) throw new Problem('payload-too-large', `the upload exceeds the limit of ${limit} bytes`);
        return { name: info.filename || 'upload.zip', bytes };
      });
    });
    parser.on('error', (err: Error) => reject(new Problem('malformed-request', `the multipart body cannot be read: ${err.message}`)));
    parser.on('close', () => {
      if (!saving) reject(new Problem('malformed-request', 'the multipart body has no file part'));
      else saving.then(resolve, reject);
    });
    stream.on('error', reject);
    stream.pipe(parser);
  });
}
