import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';

export interface EdhubRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `edhub` entry point (from source, through tsx) as an operator would, to its exit.
 * `env` is merged over this process's environment; an undefined value removes a variable. The log
 * level defaults to warn, so stdout carries only the command's output.
 */
export function runEdhub(args: string[], env: Record<string, string | undefined> = {}): Promise<EdhubRun> {
  return new Promise((resolve) => {
    const merged: NodeJS.ProcessEnv = { ...process.env, EDHUB_LOG_LEVEL: 'warn', ...env };
    for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/cli.ts'), ...args], { env: merged, cwd: projectRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
