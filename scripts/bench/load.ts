/**
 * A small closed-loop HTTP load generator, run as its own process so it does not share an event loop
 * with the server it measures. Sends `count` requests over `concurrency` keep-alive connections to
 * loopback only, and prints {requests, seconds, rps, p50Ms, p99Ms, errors} as JSON.
 * Usage: tsx scripts/bench/load.ts '<json options>'
 */
import { Agent, request } from 'node:http';

interface Options {
  url: string;
  /** When given, requests cycle through these (random offsets, many ids) instead of `url`. */
  urls?: string[];
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  count: number;
  concurrency: number;
  expectStatus?: number;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
const latencies: number[] = [];
let errors = 0;
let sent = 0;

const targets = (opts.urls ?? [opts.url]).map((u) => new URL(u));
if (targets.some((t) => !['127.0.0.1', 'localhost', '[::1]'].includes(t.hostname))) throw new Error('load.ts only targets loopback');

function one(n: number): Promise<void> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = request(targets[n % targets.length] as URL, { method: opts.method ?? 'GET', headers: opts.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== (opts.expectStatus ?? 200)) errors++;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

async function worker(): Promise<void> {
  while (sent < opts.count) {
    await one(sent++);
  }
}

const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: opts.concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, seconds, rps: latencies.length / seconds, p50Ms: pct(0.5), p99Ms: pct(0.99), errors })}\n`,
);
agent.destroy();
