import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A platform that answers whatever a test scripts, for the hostile and malformed cases the emulator
 * will not produce: its token endpoint (`/token`) grants any request unless `tokenAnswer` says
 * otherwise, and every other path is answered by `answer`. Every request is recorded.
 */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedPlatform {
  origin: string;
  tokenUrl: string;
  url(path: string): string;
  requests: RecordedRequest[];
  /** Requests other than token requests. */
  serviceRequests(): RecordedRequest[];
  tokenRequests(): RecordedRequest[];
  answer: (req: RecordedRequest) => ScriptedAnswer;
  tokenAnswer: (req: RecordedRequest) => ScriptedAnswer;
  close(): Promise<void>;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): ScriptedAnswer => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

export async function startScriptedPlatform(): Promise<ScriptedPlatform> {
  let issued = 0;
  const p = {
    requests: [] as RecordedRequest[],
    answer: (_req: RecordedRequest): ScriptedAnswer => ({ status: 404 }),
    tokenAnswer: (_req: RecordedRequest): ScriptedAnswer => json(200, { access_token: `scripted-${++issued}`, token_type: 'Bearer', expires_in: 3600 }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      p.requests.push(recorded);
      const out = recorded.path === '/token' ? p.tokenAnswer(recorded) : p.answer(recorded);
      res.writeHead(out.status, out.headers ?? {});
      res.end(out.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(p, {
    origin,
    tokenUrl: `${origin}/token`,
    url: (path: string) => `${origin}${path}`,
    serviceRequests: () => p.requests.filter((r) => r.path !== '/token'),
    tokenRequests: () => p.requests.filter((r) => r.path === '/token'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
