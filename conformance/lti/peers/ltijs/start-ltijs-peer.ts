import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { PlatformRegistration } from 'ltijs';
import type { FromChild, LtijsPeerEnv, ToChild } from './messages.js';
import type { ThrowawayDatabase } from './throwaway-database.js';

/** ltijs running as a tool in a child process, and its URLs. */
export interface LtijsPeer {
  url: string;
  loginUrl: string;
  /** ltijs's app route: its redirect URI and default target link. */
  launchUrl: string;
  jwksUrl: string;
  /** Its Dynamic Registration initiation URL. */
  registrationUrl: string;
  /** Registers a platform by hand in ltijs (ltijs generates a key pair for it); returns ltijs's kid for it. */
  registerPlatform(platform: PlatformRegistration): Promise<string>;
  /** What the child wrote to stdout/stderr (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./ltijs-tool.ts', import.meta.url));

/** Starts ltijs on the database (tsx runs its TypeScript entry point); resolves once it listens. */
export async function startLtijsPeer(database: ThrowawayDatabase, timeoutMs = 30_000): Promise<LtijsPeer> {
  const port = await freePort();
  const env: LtijsPeerEnv = {
    LTIJS_PEER_PORT: String(port),
    LTIJS_PEER_DB_NAME: database.name,
    LTIJS_PEER_DB_HOST: database.host,
    LTIJS_PEER_DB_PORT: String(database.port),
    LTIJS_PEER_DB_USER: database.user,
    LTIJS_PEER_DB_PASSWORD: database.password,
  };
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const ready = await nextMessage(child, timeoutMs, () => output);
  if (ready.type !== 'ready') throw new Error(`ltijs peer did not start: ${JSON.stringify(ready)}\n${output}`);
  const url = ready.url;

  return {
    url,
    loginUrl: `${url}/login`,
    launchUrl: `${url}/`,
    jwksUrl: `${url}/keys`,
    registrationUrl: `${url}/register`,
    registerPlatform: async (platform) => {
      const reply = nextMessage(child, timeoutMs, () => output);
      child.send({ type: 'register-platform', platform } satisfies ToChild);
      const message = await reply;
      if (message.type !== 'registered') throw new Error(`ltijs refused the platform: ${JSON.stringify(message)}`);
      return message.kid;
    },
    output: () => output,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'shutdown' } satisfies ToChild);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function nextMessage(child: ChildProcess, timeoutMs: number, output: () => string): Promise<FromChild> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`ltijs peer: no answer within ${timeoutMs} ms\n${output()}`)), timeoutMs);
    const onMessage = (message: FromChild) => done(undefined, message);
    const onExit = (code: number | null) => done(new Error(`ltijs peer exited (${code})\n${output()}`));
    function done(err: Error | undefined, message?: FromChild) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(message as FromChild);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** A free loopback port: ltijs's Dynamic Registration needs its own URL before it starts listening. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
