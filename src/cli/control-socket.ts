import { createHash } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../observability/logger.js';
import { Problem } from '../problems.js';
import type { Runtime } from '../runtime.js';
import type { ActorContext } from '../security/audit-log.js';
import { CommandFailed } from './command-failed.js';
import { type CommandArgs, type CommandResult, commands } from './commands.js';

/**
 * In embedded mode the server owns the database, so `edhub tenant create …` run beside it cannot
 * open the data directory. Instead it sends the command over this Unix socket (mode 0600: only the
 * user running the server can connect) and the server runs the same command function on its handle.
 * Protocol: one JSON line each way per connection.
 */
export interface ControlRequest {
  command: string;
  args: CommandArgs;
  actor: ActorContext['actor'];
}
export type ControlResponse =
  | { ok: true; result: CommandResult }
  /** `result` is set when the command ran and failed in a way it reports itself (an invalid package). */
  | { ok: false; error: { code: string; message: string }; result?: CommandResult };

const MAX_REQUEST_BYTES = 1024 * 1024;

export function controlSocketPath(dataDir: string): string {
  const inDir = join(dataDir, 'edhub.sock');
  // sun_path holds 107 bytes on Linux; deep data directories use a name derived from the path instead.
  return Buffer.byteLength(inDir) < 100 ? inDir : join(tmpdir(), `edhub-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}.sock`);
}

export async function startControlServer(rt: Runtime, logger: Logger): Promise<{ path: string; close(): Promise<void> }> {
  const path = controlSocketPath(rt.config.dataDir);
  rmSync(path, { force: true }); // we hold the data-directory lock, so any socket file here is stale
  const server = createServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_REQUEST_BYTES) return reply(socket, { ok: false, error: { code: 'too-large', message: 'control request too large' } });
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      socket.removeAllListeners('data');
      void handle(rt, logger, buffered.slice(0, newline)).then((response) => reply(socket, response));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

async function handle(rt: Runtime, logger: Logger, line: string): Promise<ControlResponse> {
  let request: ControlRequest;
  try {
    request = JSON.parse(line) as ControlRequest;
  } catch {
    return { ok: false, error: { code: 'malformed', message: 'control request is not JSON' } };
  }
  const command = Object.hasOwn(commands, request.command) ? commands[request.command] : undefined;
  if (!command || request.command === 'serve') return { ok: false, error: { code: 'unknown-command', message: `unknown command ${request.command}` } };
  const actor = request.actor?.type === 'cli' && typeof request.actor.id === 'string' ? request.actor : { type: 'cli' as const, id: 'unknown' };
  try {
    logger.info({ command: request.command, actor }, 'running a CLI command for a local operator');
    return { ok: true, result: await command(rt, request.args ?? {}, { actor, requestId: null, sourceIp: null }) };
  } catch (err) {
    if (err instanceof CommandFailed) return { ok: false, error: { code: 'command-failed', message: err.message }, result: err.result };
    if (err instanceof Problem) return { ok: false, error: { code: err.code, message: err.detail } };
    logger.error({ err, command: request.command }, 'control command failed');
    return { ok: false, error: { code: 'internal', message: (err as Error).message } };
  }
}

function reply(socket: import('node:net').Socket, response: ControlResponse): void {
  socket.end(`${JSON.stringify(response)}\n`);
}

/** Client side: sends one command to the server that holds the data directory. */
export function sendControlCommand(path: string, request: ControlRequest, timeoutMs = 60_000): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let answer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`the server did not answer within ${timeoutMs / 1000} s`)));
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(JSON.parse(answer) as ControlResponse);
      } catch {
        reject(new Error('the server sent an unreadable answer'));
      }
    });
  });
}
