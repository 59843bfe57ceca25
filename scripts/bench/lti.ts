/**
 * LTI 1.3 launch benchmark (issue: EdHub ≥ 3× ltijs's launches/s on the same emulator in the same
 * run; EdHub p99 ≤ 50 ms per launch step). Full launches — login initiation → the platform's auth
 * endpoint → id_token form POST → landing page — made by simulated browsers (one cookie jar each)
 * against EdHub (this process, the real app on loopback) and ltijs 5.9.9 (its own process, on
 * PostgreSQL), from one platform emulator. The emulator and the browsers run in a separate process
 * (lti-driver.ts), so neither shares an event loop with the tool being measured.
 *
 * Usage: npm run bench:lti [-- --launches N --rounds R --concurrency C --warmup W --users U --client lean|user-agent]
 *   --launches     measured launches per tool, split over the rounds (default 2000)
 *   --rounds       EdHub, ltijs, EdHub, ltijs, … — at least 2 each, so machine noise hits both (default 2)
 *   --concurrency  virtual browsers, each launching again as soon as it lands (default 20)
 *   --warmup       launches per tool before measuring (default 200)
 *   --users        learners in the emulated course, launched in turn (default 500)
 *   --client       lean (node:http, lti-browsers.ts; default) or user-agent (the conformance UserAgent, fetch)
 * EdHub runs on PostgreSQL when DATABASE_URL is set, else on PGlite. ltijs always needs PostgreSQL:
 * a throwaway database on LTIJS_PEER_DATABASE_URL, else DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres; without one the script says so and exits 1.
 * Any failed launch (warm-up included) makes the run "not a result": exit 1.
 */
import { cpus, loadavg } from 'node:os';
import { startLtijsPeer } from '../../conformance/lti/peers/ltijs/start-ltijs-peer.js';
import { createThrowawayDatabase, postgresReachable } from '../../conformance/lti/peers/ltijs/throwaway-database.js';
import { startStubTool } from '../../conformance/lti/testing/stub-tool.js';
import { freshDatabase } from '../../src/testing/test-database.js';
import { backendCpu, cpuSince, findChildProcess, processCpuMs } from './lti-cpu.js';
import { startDriver } from './lti-driver-client.js';
import { startEdhub } from './lti-edhub.js';
import type { RoundResult, ToolKind } from './lti-messages.js';
import { type CpuPerLaunch, cpuLine, rate, summarize, targetLines, toolTable } from './lti-report.js';

const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const count = (name: string, fallback: number) => {
  const value = Number(flag(name) ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};
const LAUNCHES = count('launches', 2000);
const ROUNDS = count('rounds', 2);
if (ROUNDS < 2) throw new Error('--rounds must be at least 2: alternating rounds are what spreads machine noise over both tools');
const CONCURRENCY = count('concurrency', 20);
const WARMUP = count('warmup', 200);
const USERS = count('users', 500);
const CLIENT = flag('client') ?? 'lean';
if (CLIENT !== 'lean' && CLIENT !== 'user-agent') throw new Error('--client is lean or user-agent');
const LTIJS_SERVER = process.env.LTIJS_PEER_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

if (!(await postgresReachable(LTIJS_SERVER))) {
  console.error(`PostgreSQL is not reachable at ${LTIJS_SERVER}: the ltijs peer needs it (set LTIJS_PEER_DATABASE_URL to point elsewhere).`);
  process.exit(1);
}

/** Busy share of all the machine's CPUs (other people's work included) since the call. */
function machineBusy(): () => number {
  const sample = () =>
    cpus().reduce((a, c) => ({ idle: a.idle + c.times.idle, all: a.all + Object.values(c.times).reduce((s, t) => s + t, 0) }), { idle: 0, all: 0 });
  const before = sample();
  return () => {
    const after = sample();
    return after.all > before.all ? 1 - (after.idle - before.idle) / (after.all - before.all) : 0;
  };
}

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((err) => console.error(`clean-up: ${(err as Error).message}`));
}
process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

let failed = false;
try {
  const database = await freshDatabase();
  cleanups.push(() => database.close());
  const driver = await startDriver(USERS);
  cleanups.push(() => driver.close());
  const platform = driver.platform;

  const edhub = await startEdhub(database);
  cleanups.push(() => edhub.close());
  const edhubTool = await driver.registerTool({
    name: 'EdHub',
    clientId: 'edhub-bench',
    initiateLoginUri: edhub.loginUrl,
    redirectUris: [edhub.launchUrl],
    jwksUri: edhub.jwksUrl,
    deployments: ['edhub-deployment-1'],
  });
  await edhub.register({ ...platform, ...edhubTool });

  const ltijsDatabase = await createThrowawayDatabase(LTIJS_SERVER, 'edhub_ltijs_bench');
  cleanups.push(() => ltijsDatabase.drop());
  const peer = await startLtijsPeer(ltijsDatabase);
  cleanups.push(() => peer.close());
  const ltijsTool = await driver.registerTool({
    name: 'ltijs',
    clientId: 'ltijs-bench',
    initiateLoginUri: peer.loginUrl,
    redirectUris: [peer.launchUrl],
    jwksUri: peer.jwksUrl,
    deployments: ['ltijs-deployment-1'],
  });
  await peer.registerPlatform({
    url: platform.issuer,
    name: 'EdHub platform emulator',
    clientId: ltijsTool.clientId,
    authenticationEndpoint: platform.authorization,
    accesstokenEndpoint: platform.token,
    authConfig: { method: 'JWK_SET', key: platform.jwks },
  });
  const ltijsPid = findChildProcess(process.pid, 'ltijs-tool');

  // The stub tool answers at once and checks nothing: what the driver pushes through the emulator to it bounds any tool's figure.
  const stub = await startStubTool();
  cleanups.push(() => stub.close());
  stub.platform = { authorizationEndpoint: platform.authorization };
  const stubTool = await driver.registerTool({ name: 'stub', initiateLoginUri: stub.loginUrl, redirectUris: [stub.launchUrl], jwksUri: stub.jwksUrl });

  const perRound = Math.ceil(LAUNCHES / ROUNDS);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(
    `LTI launch benchmark — EdHub on ${database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ltijs 5.9.9 on PostgreSQL; node ${process.version}, ${cpus().length} CPUs, ` +
      `load average ${load()} (a shared machine: other work is noise in every wall-clock figure)`,
  );
  console.log(
    `${CONCURRENCY} browsers (${CLIENT === 'lean' ? 'lean node:http client' : 'UserAgent, fetch'}); ${WARMUP} warm-up launches per tool, then ${ROUNDS} rounds × ${perRound} launches per tool, alternating; ${USERS} learners in one course, launched in the same order for each tool`,
  );

  const names: Record<ToolKind, string> = { edhub: 'EdHub', ltijs: 'ltijs', stub: 'stub tool' };
  const clientIds: Record<ToolKind, string> = { edhub: edhubTool.clientId, ltijs: ltijsTool.clientId, stub: stubTool.clientId };
  /** CPU of the tool's process and its database backends, sampled around a round. */
  const cpuProbe = async (kind: ToolKind) => {
    const backends = () =>
      kind === 'ltijs'
        ? backendCpu(LTIJS_SERVER, ltijsDatabase.name)
        : database.url
          ? backendCpu(database.url, new URL(database.url).pathname.slice(1))
          : undefined;
    const own = process.cpuUsage();
    const peerBefore = ltijsPid === undefined ? undefined : processCpuMs(ltijsPid);
    const dbBefore = await backends();
    return async (): Promise<CpuPerLaunch> => {
      const dbAfter = await backends();
      const used = process.cpuUsage(own);
      const peerAfter = ltijsPid === undefined ? undefined : processCpuMs(ltijsPid);
      return {
        // This process runs EdHub (with PGlite inside, when used) and the idle stub tool.
        process:
          kind === 'ltijs' ? (peerAfter !== undefined && peerBefore !== undefined ? peerAfter - peerBefore : undefined) : (used.user + used.system) / 1000,
        database: dbBefore && dbAfter ? cpuSince(dbBefore, dbAfter) : undefined,
      };
    };
  };
  const cpuTotals: Record<'edhub' | 'ltijs', { process: number[]; database: number[]; launches: number }> = {
    edhub: { process: [], database: [], launches: 0 },
    ltijs: { process: [], database: [], launches: 0 },
  };

  const round = async (kind: ToolKind, launches: number, label: string, measured = false): Promise<RoundResult> => {
    await driver.prepare({ clientId: clientIds[kind], kind, launches, concurrency: CONCURRENCY, client: CLIENT });
    const busy = machineBusy();
    const elu = performance.eventLoopUtilization();
    const cpu = await cpuProbe(kind);
    const r = await driver.run();
    const used = await cpu();
    if (measured && kind !== 'stub') {
      const totals = cpuTotals[kind];
      if (used.process !== undefined) totals.process.push(used.process);
      if (used.database !== undefined) totals.database.push(used.database);
      totals.launches += r.ok;
    }
    // ltijs's event loop is in its own process; this one's is EdHub's (or the stub tool's).
    const own = kind === 'ltijs' ? '' : `  ${names[kind]} loop ${performance.eventLoopUtilization(elu).utilization.toFixed(2)}`;
    console.log(
      `${label.padEnd(12)} ${names[kind].padEnd(9)} ${r.ok + r.errors} launches in ${r.seconds.toFixed(1)} s = ${rate(r).toFixed(1)} launches/s  errors ${r.errors}  ` +
        `machine CPU ${(busy() * 100).toFixed(0)}%${own}  driver loop ${r.driver.elu.toFixed(2)}, CPU ${r.driver.cpuPercent.toFixed(0)}% of a core`,
    );
    for (const reason of r.reasons) console.log(`  error: ${reason}`);
    if (r.ok + r.errors < launches) console.log(`  stopped after ${r.errors} failed launches`);
    return r;
  };

  const warmups = [await round('stub', WARMUP, 'warm-up'), await round('edhub', WARMUP, 'warm-up'), await round('ltijs', WARMUP, 'warm-up')];
  const ceiling = await round('stub', perRound, 'ceiling');
  const rounds: Record<'edhub' | 'ltijs', RoundResult[]> = { edhub: [], ltijs: [] };
  for (let i = 1; i <= ROUNDS; i++) {
    rounds.edhub.push(await round('edhub', perRound, `round ${i}/${ROUNDS}`, true));
    rounds.ltijs.push(await round('ltijs', perRound, `round ${i}/${ROUNDS}`, true));
  }

  const e = summarize('EdHub', rounds.edhub);
  const l = summarize('ltijs', rounds.ltijs);
  console.log('');
  for (const line of [...toolTable(e), '', ...toolTable(l), '']) console.log(line);
  const driverLoop = Math.max(...rounds.edhub.map((r) => r.driver.elu));
  console.log(
    `load generator: the stub tool (no checks, no landing) reached ${rate(ceiling).toFixed(1)} launches/s from the same driver (${(rate(ceiling) / e.launchesPerSecond).toFixed(1)}× EdHub's); ` +
      `driver loop at most ${driverLoop.toFixed(2)} busy in EdHub's rounds${driverLoop > 0.8 ? ' — WARNING: the driver may be what limits the figures' : ''}`,
  );
  const perLaunch = (t: (typeof cpuTotals)['edhub'], part: 'process' | 'database', rounds: number) =>
    t[part].length === rounds && t.launches > 0 ? t[part].reduce((a, b) => a + b, 0) / t.launches : undefined;
  const eCpu = { process: perLaunch(cpuTotals.edhub, 'process', ROUNDS), database: perLaunch(cpuTotals.edhub, 'database', ROUNDS) };
  const lCpu = { process: perLaunch(cpuTotals.ltijs, 'process', ROUNDS), database: perLaunch(cpuTotals.ltijs, 'database', ROUNDS) };
  console.log('CPU per launch in the measured rounds (informative, from /proc; less sensitive to machine noise than launches/s):');
  console.log(cpuLine('EdHub', eCpu, database.kind === 'pglite' ? ' (PGlite runs inside the process)' : ''));
  console.log(cpuLine('ltijs', lCpu, ''));
  for (const line of targetLines(e, l)) console.log(line);
  const errors = [ceiling, ...warmups, ...rounds.edhub, ...rounds.ltijs].reduce((s, r) => s + r.errors, 0);
  console.log(`load average at the end ${load()}`);
  if (errors > 0) {
    console.log(`NOT A RESULT: ${errors} launch(es) failed (reasons above).`);
    failed = true;
  }
} catch (err) {
  console.error((err as Error).stack ?? String(err));
  failed = true;
} finally {
  await cleanUp();
}
process.exit(failed ? 1 : 0);
