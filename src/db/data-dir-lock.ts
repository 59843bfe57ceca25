import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite is one in-process PostgreSQL: two processes opening the same data directory would corrupt
 * it. Whoever opens the embedded database first holds `<dataDir>/edhub.lock`; a server also names
 * its control socket there, so a CLI started beside it can hand its command to the server instead.
 */
export interface LockHolder {
  pid: number;
  role: 'server' | 'cli';
  startedAt: string;
  controlSocket?: string;
}

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data directory ${dataDir} is in use by ${holder.role === 'server' ? 'an EdHub server' : 'another edhub command'} ` +
        `(pid ${holder.pid}, since ${holder.startedAt}); the embedded database can be opened by one process at a time`,
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Rewrites the holder record (the server adds its control socket once it listens). */
  update(holder: Partial<LockHolder>): void;
  release(): void;
}

export function acquireDataDirLock(dataDir: string, role: LockHolder['role']): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'edhub.lock');
  let holder: LockHolder = { pid: process.pid, role, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, holder)) {
      let released = false;
      return {
        path,
        update(change) {
          holder = { ...holder, ...change };
          writeFileSync(path, JSON.stringify(holder), { mode: 0o600 });
        },
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    }
    const current = readHolder(path);
    if (current && isAlive(current.pid) && current.pid !== process.pid) throw new DataDirLockedError(dataDir, current);
    // Stale (the holder died, or a restarted container reuses our pid). Move it aside atomically:
    // of two processes racing here, only one rename succeeds and the other simply retries.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch {
      // someone else took it first; try again
    }
  }
  throw new Error(`could not take the lock ${path} after several attempts`);
}

/**
 * Creates the lock file with its full content in one step: written to a private temporary file and
 * hard-linked into place (link fails if the name exists), so nobody ever reads a half-written lock.
 */
function tryCreate(path: string, holder: LockHolder): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  } finally {
    unlinkSync(tmp);
  }
}

/** The current holder of a data directory, or undefined when it is free (or held by a dead process). */
export function readLiveHolder(dataDir: string): LockHolder | undefined {
  const h = readHolder(join(dataDir, 'edhub.lock'));
  return h && isAlive(h.pid) && h.pid !== process.pid ? h : undefined;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    // unreadable or half-written: a process that died while writing it
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
