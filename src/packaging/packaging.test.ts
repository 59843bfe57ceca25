import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import { openDirectory } from './open-directory.js';
import { openZip, openZipBuffer } from './open-zip.js';
import { PackageError, type PackageErrorCode } from './package-error.js';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from './package-limits.js';
import type { PackageSource } from './package-source.js';
import { createZipWriter } from './write-zip.js';

const MiB = 1024 ** 2;

/**
 * One entry of a hand-made zip. Everything a hostile archive can lie about is settable, because yazl
 * (rightly) refuses to write such archives.
 */
interface RawEntry {
  name: string;
  data?: Buffer;
  /** APPNOTE 4.4.5: 0 stored, 8 deflated; anything else is written as stored bytes under that number. */
  method?: number;
  flags?: number;
  /** The bytes written as the entry's data, instead of `data` compressed by `method`. */
  body?: Buffer;
  declaredSize?: number;
  compressedSize?: number;
  crc?: number;
  unixMode?: number;
}

/** The smallest zip writer that works: local headers, data, central directory, end record (APPNOTE 4.3). */
function handZip(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = e.data ?? Buffer.alloc(0);
    const method = e.method ?? 8;
    const body = e.body ?? (method === 8 ? deflateRawSync(data) : data);
    const name = Buffer.from(e.name, 'utf8');
    const flags = 0x800 | (e.flags ?? 0); // bit 11: the name is UTF-8
    const crc = e.crc ?? crc32(data);
    const compressedSize = e.compressedSize ?? body.length;
    const size = e.declaredSize ?? data.length;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressedSize, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the high half of the external attributes is a mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressedSize, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.unixMode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    parts.push(local, name, body);
    directory.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readEntry(pkg: PackageSource, name: string): Promise<Buffer> {
  return readAll(await pkg.open(name));
}

function isPackageError(code: PackageErrorCode, entry?: string): (err: unknown) => true {
  return (err) => {
    assert.ok(err instanceof PackageError, `expected a PackageError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.entry, entry);
    return true;
  };
}

function limits(overrides: Partial<PackageLimits>): PackageLimits {
  return { ...DEFAULT_PACKAGE_LIMITS, ...overrides };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'edhub-packaging-'));
}

const csv = (rows: number) => Buffer.from(`sourcedId,name\n${Array.from({ length: rows }, (_, i) => `id-${i},Name ${i}\n`).join('')}`);

describe('zip packages', () => {
  const zeros = Buffer.alloc(50 * MiB);
  let bomb: Buffer; // 50 MiB of zeros, deflated to about 50 KiB
  before(() => {
    bomb = deflateRawSync(zeros);
  });

  describe('reading a well-formed zip', () => {
    it('round-trips files in folders through createZipWriter and openZipBuffer with identical bytes', async () => {
      const files = { 'manifest.csv': csv(2), 'orgs/orgs.csv': csv(300), 'classes/2024/users.csv': csv(5000) };
      const writer = createZipWriter();
      writer.addBuffer('manifest.csv', files['manifest.csv']);
      writer.addStream('orgs/orgs.csv', Readable.from([files['orgs/orgs.csv'].subarray(0, 100), files['orgs/orgs.csv'].subarray(100)]));
      writer.addStream('classes/2024/users.csv', Readable.from([files['classes/2024/users.csv']]));
      const pkg = await openZipBuffer(await readAll(writer.end()));
      assert.equal(pkg.kind, 'zip');
      assert.deepEqual(
        pkg.entries(),
        Object.entries(files).map(([name, data]) => ({ name, size: data.length })),
      );
      for (const [name, data] of Object.entries(files)) assert.deepEqual(await readEntry(pkg, name), data);
      assert.equal(pkg.has('orgs/orgs.csv'), true);
      assert.equal(pkg.has('orgs.csv'), false);
      await pkg.close();
    });

    it('writes the same bytes for the same files: a fixed 1980-01-01 DOS timestamp and no UTC timestamp field', async () => {
      const build = async () => {
        const writer = createZipWriter();
        writer.addBuffer('a/users.csv', csv(10));
        writer.addStream('b.csv', Readable.from([csv(3)]));
        return readAll(writer.end());
      };
      const zip = await build();
      assert.deepEqual(await build(), zip);
      // The first local file header (APPNOTE 4.3.7): time, date, extra field length.
      assert.equal(zip.readUInt16LE(10), 0);
      assert.equal(zip.readUInt16LE(12), 0x21);
      assert.equal(zip.readUInt16LE(28), 0);
    });

    it('lists regular files only: folder entries are skipped, stored and deflated entries both read', async () => {
      const pkg = await openZipBuffer(
        handZip([
          { name: 'data/', method: 0 },
          { name: 'data/users.csv', data: csv(3), method: 0 },
          { name: 'data/orgs.csv', data: csv(4) },
        ]),
      );
      assert.deepEqual(pkg.entries(), [
        { name: 'data/users.csv', size: csv(3).length },
        { name: 'data/orgs.csv', size: csv(4).length },
      ]);
      assert.deepEqual(await readEntry(pkg, 'data/users.csv'), csv(3));
      assert.deepEqual(await readEntry(pkg, 'data/orgs.csv'), csv(4));
    });

    it('opens a zip file on disk', async () => {
      const path = join(tempDir(), 'package.zip');
      writeFileSync(path, handZip([{ name: 'users.csv', data: csv(20) }]));
      const pkg = await openZip(path);
      assert.deepEqual(await readEntry(pkg, 'users.csv'), csv(20));
      await pkg.close();
      await pkg.close();
    });

    it('answers not-found for an entry the package does not hold', async () => {
      const pkg = await openZipBuffer(handZip([{ name: 'users.csv', data: csv(1) }]));
      await assert.rejects(pkg.open('orgs.csv'), isPackageError('not-found', 'orgs.csv'));
    });

    it('exempts files of at most 1 MiB from the ratio check', async () => {
      const pkg = await openZipBuffer(handZip([{ name: 'blank.csv', data: Buffer.alloc(MiB) }]));
      assert.deepEqual(await readEntry(pkg, 'blank.csv'), Buffer.alloc(MiB));
    });
  });

  describe('refusing what is not a zip', () => {
    const cases: Array<[string, Buffer]> = [
      ['a CSV file', csv(10)],
      ['pseudo-random bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24))],
      ['an empty file', Buffer.alloc(0)],
      ['a zip cut in half', handZip([{ name: 'users.csv', data: csv(100) }]).subarray(0, 400)],
    ];
    for (const [what, bytes] of cases) {
      it(`refuses ${what} with not-a-zip`, async () => {
        await assert.rejects(openZipBuffer(bytes), isPackageError('not-a-zip'));
        const path = join(tempDir(), 'upload.zip');
        writeFileSync(path, bytes);
        await assert.rejects(openZip(path), isPackageError('not-a-zip'));
      });
    }

    it('lets a missing path fail as the file system error it is', async () => {
      await assert.rejects(openZip(join(tempDir(), 'missing.zip')), (err: NodeJS.ErrnoException) => err.code === 'ENOENT' && !(err instanceof PackageError));
    });
  });

  describe('entry names (zip slip)', () => {
    const hostile = [
      '../evil.csv',
      'data/../../evil.csv',
      '/etc/passwd',
      'a\\b.csv',
      '..\\evil.csv',
      'C:/x.csv',
      'nul\u0000.csv',
      'line\nbreak.csv',
      './users.csv',
      'a//b.csv',
    ];
    for (const name of hostile) {
      it(`refuses an entry named ${JSON.stringify(name)} as unsafe-path`, async () => {
        await assert.rejects(
          openZipBuffer(
            handZip([
              { name: 'users.csv', data: csv(1) },
              { name, data: csv(1) },
            ]),
          ),
          isPackageError('unsafe-path', name),
        );
      });
    }

    it('refuses a folder entry that climbs out, although it holds no data', async () => {
      await assert.rejects(openZipBuffer(handZip([{ name: '../', method: 0 }])), isPackageError('unsafe-path', '..'));
    });

    it('says which entry and why, for a person', async () => {
      await assert.rejects(openZipBuffer(handZip([{ name: '../evil.csv', data: csv(1) }])), {
        message: 'entry "../evil.csv" escapes the package with a ".." segment; entries must be relative paths inside the package',
      });
    });
  });

  describe('limits', () => {
    it('refuses two entries with the same name', async () => {
      const zip = handZip([
        { name: 'users.csv', data: csv(1) },
        { name: 'orgs.csv', data: csv(1) },
        { name: 'users.csv', data: csv(2) },
      ]);
      await assert.rejects(openZipBuffer(zip), isPackageError('duplicate-entry', 'users.csv'));
    });

    it('refuses more entries than maxEntries, folders included', async () => {
      const four = handZip([{ name: 'a/', method: 0 }, { name: 'a/1.csv' }, { name: 'a/2.csv' }, { name: 'a/3.csv' }]);
      await assert.rejects(openZipBuffer(four, limits({ maxEntries: 3 })), isPackageError('too-many-entries'));
      const many = handZip(Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}.csv`, method: 0 })));
      await assert.rejects(openZipBuffer(many), isPackageError('too-many-entries'));
    });

    it('refuses an entry that declares more than maxEntryBytes', async () => {
      const zip = handZip([{ name: 'users.csv', data: csv(1000) }]);
      await assert.rejects(openZipBuffer(zip, limits({ maxEntryBytes: 1000 })), isPackageError('entry-too-large', 'users.csv'));
    });

    it('refuses entries that together declare more than maxTotalBytes, naming the one that crosses it', async () => {
      const zip = handZip([
        { name: 'a.csv', data: Buffer.alloc(600) },
        { name: 'b.csv', data: Buffer.alloc(600) },
      ]);
      await assert.rejects(openZipBuffer(zip, limits({ maxTotalBytes: 1000 })), isPackageError('total-too-large', 'b.csv'));
    });

    it('refuses a zip bomb (50 MiB of zeros in 50 KiB) by its declared compression ratio', async () => {
      const zip = handZip([{ name: 'users.csv', data: zeros, body: bomb }]);
      await assert.rejects(openZipBuffer(zip), isPackageError('compression-ratio', 'users.csv'));
      await assert.rejects(openZipBuffer(zip, limits({ maxEntryBytes: 10 * MiB })), isPackageError('entry-too-large', 'users.csv'));
    });

    it('stops inflating an entry as soon as it passes the size its header declares', async () => {
      const zip = handZip([{ name: 'users.csv', data: zeros, body: bomb, declaredSize: 1000 }]);
      const pkg = await openZipBuffer(zip);
      const stream = await pkg.open('users.csv');
      let received = 0;
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      await assert.rejects(new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject)), isPackageError('size-mismatch', 'users.csv'));
      assert.ok(received <= 1000, `received ${received} bytes`);
      await pkg.close();
    });

    it('fails an entry whose data ends before its declared size', async () => {
      const pkg = await openZipBuffer(handZip([{ name: 'users.csv', data: csv(10), declaredSize: csv(10).length + 1 }]));
      await assert.rejects(readEntry(pkg, 'users.csv'), isPackageError('size-mismatch', 'users.csv'));
    });
  });

  describe('entries that cannot be read back', () => {
    it('refuses an encrypted entry (flag bit 0)', async () => {
      await assert.rejects(openZipBuffer(handZip([{ name: 'users.csv', data: csv(1), flags: 0x1 }])), isPackageError('encrypted', 'users.csv'));
    });

    it('refuses strong encryption (flag bit 6)', async () => {
      await assert.rejects(openZipBuffer(handZip([{ name: 'users.csv', data: csv(1), flags: 0x41 }])), isPackageError('encrypted'));
    });

    it('refuses compression methods other than stored and deflated', async () => {
      await assert.rejects(openZipBuffer(handZip([{ name: 'users.csv', data: csv(1), method: 12 }])), isPackageError('unsupported', 'users.csv'));
    });

    it('refuses a symbolic link entry', async () => {
      const zip = handZip([{ name: 'users.csv', data: Buffer.from('/etc/passwd'), method: 0, unixMode: 0o120777 }]);
      await assert.rejects(openZipBuffer(zip), isPackageError('unsupported', 'users.csv'));
    });

    it('refuses a stored entry whose two sizes disagree', async () => {
      const zip = handZip([{ name: 'users.csv', data: csv(1), method: 0, declaredSize: 1 }]);
      await assert.rejects(openZipBuffer(zip), isPackageError('size-mismatch', 'users.csv'));
    });

    it('fails the stream of an entry whose data does not match its CRC-32', async () => {
      const pkg = await openZipBuffer(handZip([{ name: 'users.csv', data: csv(10), crc: 1234 }]));
      await assert.rejects(readEntry(pkg, 'users.csv'), isPackageError('corrupt', 'users.csv'));
    });

    it('fails the stream of an entry that is not valid deflate data', async () => {
      const pkg = await openZipBuffer(handZip([{ name: 'users.csv', data: csv(10), body: Buffer.from([0xff, 0xff, 0xff, 0xff]) }]));
      await assert.rejects(readEntry(pkg, 'users.csv'), isPackageError('corrupt', 'users.csv'));
    });
  });
});

describe('directory packages', () => {
  function packageDir(): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'data', 'more'), { recursive: true });
    writeFileSync(join(dir, 'manifest.csv'), csv(1));
    writeFileSync(join(dir, 'data', 'users.csv'), csv(5));
    writeFileSync(join(dir, 'data', 'more', 'orgs.csv'), csv(2));
    return dir;
  }

  it('lists regular files recursively by relative name with "/", in a stable order, and reads them', async () => {
    const dir = packageDir();
    symlinkSync(join(dir, 'data', 'users.csv'), join(dir, 'linked.csv'));
    symlinkSync(dir, join(dir, 'data', 'loop')); // a link back to the root is listed once, not forever
    const pkg = await openDirectory(dir);
    assert.equal(pkg.kind, 'directory');
    assert.deepEqual(pkg.entries(), [
      { name: 'data/more/orgs.csv', size: csv(2).length },
      { name: 'data/users.csv', size: csv(5).length },
      { name: 'linked.csv', size: csv(5).length },
      { name: 'manifest.csv', size: csv(1).length },
    ]);
    assert.deepEqual(await readEntry(pkg, 'data/more/orgs.csv'), csv(2));
    assert.deepEqual(await readEntry(pkg, 'linked.csv'), csv(5));
    await assert.rejects(pkg.open('data'), isPackageError('not-found', 'data'));
  });

  it('refuses a symbolic link that leads outside the directory', async () => {
    const dir = packageDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.csv'), csv(1));
    symlinkSync(join(outside, 'secret.csv'), join(dir, 'data', 'secret.csv'));
    await assert.rejects(openDirectory(dir), isPackageError('unsafe-path', 'data/secret.csv'));
    const other = packageDir();
    symlinkSync('../../..', join(other, 'data', 'up'));
    await assert.rejects(openDirectory(other), isPackageError('unsafe-path', 'data/up'));
  });

  it('refuses a symbolic link that leads nowhere', async () => {
    const dir = packageDir();
    symlinkSync('missing.csv', join(dir, 'dangling.csv'));
    await assert.rejects(openDirectory(dir), isPackageError('unsafe-path', 'dangling.csv'));
  });

  it('applies the entry-count and size limits', async () => {
    await assert.rejects(openDirectory(packageDir(), limits({ maxEntries: 4 })), isPackageError('too-many-entries'));
    await assert.rejects(openDirectory(packageDir(), limits({ maxEntryBytes: csv(4).length })), isPackageError('entry-too-large', 'data/users.csv'));
    await assert.rejects(
      openDirectory(packageDir(), limits({ maxTotalBytes: csv(2).length + csv(5).length })),
      isPackageError('total-too-large', 'manifest.csv'),
    );
  });
});

describe('zip writer', () => {
  it('refuses names a reader would refuse, and names already added', () => {
    const writer = createZipWriter();
    writer.addBuffer('users.csv', csv(1));
    assert.throws(() => writer.addBuffer('../users.csv', csv(1)), isPackageError('unsafe-path', '../users.csv'));
    assert.throws(() => writer.addBuffer('a\\b.csv', csv(1)), isPackageError('unsafe-path', 'a\\b.csv'));
    assert.throws(() => writer.addStream('users.csv', Readable.from([csv(1)])), isPackageError('duplicate-entry', 'users.csv'));
  });

  it('fails the output when an input stream fails, even one still waiting its turn', async () => {
    const writer = createZipWriter();
    const slow = new Readable({ read() {} }); // never ends: the failing stream below never gets its turn
    writer.addStream('slow.csv', slow);
    const failing = new Readable({ read() {} });
    writer.addStream('failing.csv', failing);
    const output = writer.end();
    failing.destroy(new Error('disk gone'));
    await assert.rejects(readAll(output), { message: 'disk gone' });
    assert.equal(slow.destroyed, true);
  });
});
