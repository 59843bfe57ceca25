/** Starts the launch driver (lti-driver.ts) in its own process and talks to it, one request at a time. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ToolInput } from '../../conformance/lti/emulator/state/tool-registry.js';
import type { FromDriver, RoundResult, RunRequest, ToDriver } from './lti-messages.js';

export interface Driver {
  /** The emulator's issuer and the endpoints a tool registration needs. */
  platform: Extract<FromDriver, { type: 'ready' }>;
  registerTool(tool: ToolInput): Promise<{ clientId: string; deploymentId: string }>;
  /** Has the emulator prepare a round's launches (untimed). */
  prepare(run: RunRequest): Promise<void>;
  /** Makes the prepared launches and measures them. */
  run(): Promise<RoundResult>;
  close(): Promise<void>;
}

const DRIVER = fileURLToPath(new URL('./lti-driver.ts', import.meta.url));

export async function startDriver(users: number): Promise<Driver> {
  const child = fork(DRIVER, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LTI_BENCH_USERS: String(users) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = async <T extends FromDriver['type']>(expected: T, message?: ToDriver): Promise<Extract<FromDriver, { type: T }>> => {
    const reply = nextMessage(child);
    if (message) child.send(message);
    const answer = await reply;
    if (answer.type !== expected) throw new Error(`launch driver: ${answer.type === 'failed' ? answer.message : JSON.stringify(answer)}`);
    return answer as Extract<FromDriver, { type: T }>;
  };
  const platform = await ask('ready');
  return {
    platform,
    registerTool: async (tool) => {
      const { clientId, deploymentId } = await ask('registered', { type: 'register', tool });
      return { clientId, deploymentId };
    },
    prepare: async (run) => {
      await ask('prepared', { type: 'prepare', run });
    },
    run: async () => (await ask('result', { type: 'run' })).result,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' } satisfies ToDriver);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function nextMessage(child: ChildProcess): Promise<FromDriver> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromDriver) => done(undefined, message);
    const onExit = (code: number | null) => done(new Error(`launch driver exited (${code})`));
    function done(err: Error | undefined, message?: FromDriver) {
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(message as FromDriver);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
