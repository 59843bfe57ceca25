import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScriptedAnswer } from './scripted-platform.js';

/**
 * A loopback proxy in front of a platform (the emulator) that a test can make flaky: for each request
 * `plan` says to pass it through, answer it itself (a 503 with Retry-After…), or drop the connection
 * without an answer (a network failure). Every request is recorded with what happened to it.
 */
export type ProxyPlan = 'pass' | 'drop' | ScriptedAnswer;

export interface FlakyProxy {
  origin: string;
  /** The same URL with the proxy's origin instead of the platform's. */
  via(url: string): string;
  plan: (req: { method: string; path: string }) => ProxyPlan;
  hits: { method: string; path: string; outcome: number | 'drop' }[];
  close(): Promise<void>;
}

export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const upstream = new URL(target);
  const p = {
    plan: (_req: { method: string; path: string }): ProxyPlan => 'pass',
    hits: [] as FlakyProxy['hits'],
  };
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const decision = p.plan({ method, path });
    if (decision === 'drop') {
      p.hits.push({ method, path, outcome: 'drop' });
      req.resume();
      return void req.socket.destroy();
    }
    if (decision !== 'pass') {
      p.hits.push({ method, path, outcome: decision.status });
      req.resume();
      res.writeHead(decision.status, decision.headers ?? {});
      return void res.end(decision.body ?? '');
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, method, path, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      p.hits.push({ method, path, outcome: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(p, {
    origin,
    via: (url: string) => {
      const u = new URL(url);
      return `${origin}${u.pathname}${u.search}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
