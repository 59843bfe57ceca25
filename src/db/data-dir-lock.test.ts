import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, DataDirLockedError, readLiveHolder } from './data-dir-lock.js';

describe('embedded data-directory lock', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'edhub-lock-'));

  it('is taken by the first process and released', () => {
    const d = dir();
    const lock = acquireDataDirLock(d, 'server');
    const holder = JSON.parse(readFileSync(join(d, 'edhub.lock'), 'utf8'));
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.role, 'server');
    lock.update({ controlSocket: '/tmp/x.sock' });
    assert.equal(JSON.parse(readFileSync(join(d, 'edhub.lock'), 'utf8')).controlSocket, '/tmp/x.sock');
    lock.release();
    assert.equal(existsSync(join(d, 'edhub.lock')), false);
  });

  it('refuses a second process while the holder lives, naming it', async () => {
    const d = dir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(d, 'edhub.lock'), JSON.stringify({ pid: child.pid, role: 'server', startedAt: '2026-01-01T00:00:00Z', controlSocket: '/x' }));
      assert.throws(
        () => acquireDataDirLock(d, 'cli'),
        (err: Error) => err instanceof DataDirLockedError && err.holder.pid === child.pid && /in use by an EdHub server \(pid \d+/.test(err.message),
      );
      assert.equal(readLiveHolder(d)?.pid, child.pid);
    } finally {
      child.kill();
    }
  });

  it('takes over the lock of a process that died', () => {
    const d = dir();
    writeFileSync(join(d, 'edhub.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, role: 'server', startedAt: '2026-01-01T00:00:00Z' }));
    assert.equal(readLiveHolder(d), undefined);
    const lock = acquireDataDirLock(d, 'cli');
    assert.equal(JSON.parse(readFileSync(join(d, 'edhub.lock'), 'utf8')).pid, process.pid);
    lock.release();
  });

  it('treats a half-written lock file as stale', () => {
    const d = dir();
    writeFileSync(join(d, 'edhub.lock'), '{"pid": ');
    acquireDataDirLock(d, 'cli').release();
  });
});
