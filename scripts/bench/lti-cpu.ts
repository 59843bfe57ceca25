/**
 * CPU time spent per launch by a tool's process and by the PostgreSQL backends serving its database,
 * read from /proc (Linux, PostgreSQL on this machine). On a shared machine wall-clock throughput moves
 * with other people's work; CPU per launch moves much less, so it says what the ratio would be on a
 * quiet machine. Informative: where /proc or the backends cannot be read, the figure is absent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/** USER_HZ: /proc/<pid>/stat counts in ticks of 10 ms on every Linux this runs on. */
const TICK_MS = 10;

/** utime + stime of a process in ms, or undefined when it cannot be read. */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command (which may hold spaces) — utime and stime are the 12th and 13th.
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * TICK_MS : undefined;
  } catch {
    return undefined;
  }
}

/** The child of `parentPid` whose command line contains `marker` (the ltijs peer does not publish its pid). */
export function findChildProcess(parentPid: number, marker: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    try {
      const ppid = Number((readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ')[1]);
      if (ppid === parentPid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) return pid;
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** CPU ms so far of each backend connected to `database` (but this probe's own), by pid. */
export async function backendCpu(serverUrl: string, database: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) out.set(pid, ms);
    }
    return out;
  } finally {
    await client.end();
  }
}

/** CPU used since `before`; a backend that appeared meanwhile counts from zero (one that ended is lost: rounds keep the pools busy). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number | undefined {
  if (after.size === 0) return undefined;
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}
