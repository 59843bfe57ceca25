/**
 * The launch driver of `npm run bench:lti`, forked by lti.ts so that neither the platform nor the
 * browsers share an event loop with a tool being measured: it runs the platform emulator (the same
 * for every tool) and `concurrency` simulated browsers, each with its own cookie jar, each launching
 * again as soon as its previous launch ends (a closed loop). Driven over IPC (lti-messages.ts).
 */
import { type LtiEmulator, startLtiEmulator } from '../../conformance/lti/emulator/start-emulator.js';
import type { DirectoryData, EmulatedUser } from '../../conformance/lti/emulator/state/directory.js';
import { LeanBrowser, userAgentBrowser } from './lti-browsers.js';
import { browseLaunch, type LaunchOutcome } from './lti-launch.js';
import { type FromDriver, type RoundResult, type RunRequest, STEP_NAMES, type ToDriver } from './lti-messages.js';

const send = (message: FromDriver) => process.send?.(message);
const LAUNCH_TIMEOUT_MS = 30_000;
const KEPT_REASONS = 5;

/**
 * One course with one resource link and `count` learners, launched in turn: a class opening the same
 * activity at once, which is when an LMS launches the most. Plain ASCII names, so pages show them verbatim.
 */
export function benchDirectory(count: number): DirectoryData {
  const users: EmulatedUser[] = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, '0');
    return {
      id: `learner-${n}`,
      name: `Learner ${n}`,
      givenName: 'Learner',
      familyName: n,
      email: `learner-${n}@example.edu`,
      roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student'],
    };
  });
  return {
    users,
    contexts: [
      {
        id: 'bench-course',
        label: 'BENCH 101',
        title: 'Benchmark course',
        type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
        members: users.map((u) => u.id),
      },
    ],
    resourceLinks: [{ id: 'bench-link', contextId: 'bench-course', title: 'Week 1 activity' }],
  };
}

function timeout(ms: number): { promise: Promise<LaunchOutcome>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<LaunchOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${ms / 1000} s` }), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Each tool launches the users in the same order, from its own cursor: both see the same mix of first and repeat launches. */
const cursors = new Map<string, number>();
/** A round stops starting launches after this many failures: it is not a result any more, and timeouts are slow. */
const MAX_ERRORS = 20;

interface Ticket {
  loginUrl: string;
  userName: string;
}

/**
 * The platform prepares every launch of a round (and signs a dry-run id_token for each) before the
 * round starts: an LMS does that while rendering its page, and in the timed window it would only take
 * CPU from the tool. A separate request, so the parent starts its own clocks after it.
 */
async function prepareRound(emulator: LtiEmulator, users: EmulatedUser[], run: RunRequest): Promise<Ticket[]> {
  const tickets: Ticket[] = [];
  const first = cursors.get(run.clientId) ?? 0;
  cursors.set(run.clientId, first + run.launches);
  for (let i = first; i < first + run.launches; i++) {
    const user = users[i % users.length] as EmulatedUser;
    tickets.push({ loginUrl: (await emulator.launch({ clientId: run.clientId, userId: user.id })).loginUrl, userName: user.name as string });
  }
  return tickets;
}

async function runRound(emulator: LtiEmulator, run: RunRequest, tickets: Ticket[]): Promise<RoundResult> {
  const result: RoundResult = {
    clientId: run.clientId,
    kind: run.kind,
    ok: 0,
    errors: 0,
    reasons: [],
    seconds: 0,
    steps: { login: [], auth: [], launch: [], landing: [] },
    total: [],
    gaps: [],
    driver: { elu: 0, cpuPercent: 0 },
  };
  const authEndpoint = emulator.endpoints.authorization;

  const newBrowser = () => (run.client === 'user-agent' ? userAgentBrowser() : new LeanBrowser());
  let next = 0;
  async function virtualBrowser(): Promise<void> {
    let browser = newBrowser();
    while (next < tickets.length && result.errors < MAX_ERRORS) {
      const ticket = tickets[next++] as Ticket;
      const limit = timeout(LAUNCH_TIMEOUT_MS);
      const outcome = await Promise.race([browseLaunch(browser, run.kind, ticket.loginUrl, { authEndpoint, userName: ticket.userName }), limit.promise]);
      limit.cancel();
      if (!outcome.ok) {
        result.errors++;
        if (result.reasons.length < KEPT_REASONS) result.reasons.push(outcome.reason);
        // A request may still hang on this browser's connections: start over with a new browser.
        browser.close();
        browser = newBrowser();
        continue;
      }
      result.ok++;
      let inSteps = 0;
      for (const name of STEP_NAMES) {
        const ms = outcome.stepMs[name];
        if (ms === undefined) continue;
        result.steps[name].push(ms);
        inSteps += ms;
      }
      result.total.push(outcome.totalMs);
      result.gaps.push(outcome.totalMs - inSteps);
    }
    browser.close();
  }

  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: run.concurrency }, virtualBrowser));
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  result.seconds = wallMs / 1000;
  result.driver = {
    elu: performance.eventLoopUtilization(elu).utilization,
    cpuPercent: ((used.user + used.system) / 1000 / wallMs) * 100,
  };
  return result;
}

async function main(): Promise<void> {
  const users = benchDirectory(Number(process.env.LTI_BENCH_USERS ?? 500));
  // Prepared launches must outlive the longest round (the default is 10 minutes).
  const emulator = await startLtiEmulator({ directory: users, launchTtlSeconds: 3600 });
  // The parent died without saying goodbye (Ctrl-C, a crash): nobody is left to drive, so go too.
  let prepared: { run: RunRequest; tickets: Ticket[] } | undefined;
  process.once('disconnect', () => void emulator.close().finally(() => process.exit(0)));
  process.on('message', async (message: ToDriver) => {
    try {
      switch (message.type) {
        case 'register': {
          const tool = emulator.registerTool(message.tool);
          send({ type: 'registered', clientId: tool.clientId, deploymentId: tool.deployments[0] as string });
          break;
        }
        case 'prepare':
          prepared = { run: message.run, tickets: await prepareRound(emulator, users.users, message.run) };
          send({ type: 'prepared', launches: prepared.tickets.length });
          break;
        case 'run': {
          if (!prepared) throw new Error('run before prepare');
          const { run, tickets } = prepared;
          prepared = undefined;
          send({ type: 'result', result: await runRound(emulator, run, tickets) });
          break;
        }
        case 'close':
          await emulator.close();
          process.exit(0);
          break;
        default: {
          const never: never = message;
          throw new Error(`unknown message ${JSON.stringify(never)}`);
        }
      }
    } catch (err) {
      send({ type: 'failed', message: (err as Error).stack ?? String(err) });
    }
  });
  const e = emulator.endpoints;
  send({ type: 'ready', issuer: emulator.issuer, authorization: e.authorization, token: e.token, jwks: e.jwks });
}

main().catch((err) => {
  send({ type: 'failed', message: (err as Error).stack ?? String(err) });
  process.exit(1);
});
