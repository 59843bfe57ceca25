import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';

/** What the scripted tool received at its redirect URI, decoded without any verification. */
export interface ScriptedLaunch {
  fields: Record<string, string>;
  /** The id_token's claims ({} when they cannot be decoded). */
  claims: Record<string, unknown>;
  /** The nonce this tool put in the authentication request for the posted state, if it issued that state. */
  issuedNonce?: string;
}

/** How the tool answers a launch: a response, or 'hang' (never answer). */
export type ScriptedAnswer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface ScriptedToolOptions {
  /** The tool's answer to each launch. */
  answer(launch: ScriptedLaunch, tool: ScriptedTool): ScriptedAnswer;
  /** The redirect_uri its authentication request names. Default: its own launch URL. */
  redirectUri?: (tool: ScriptedTool) => string;
  /** Its Dynamic Registration page (GET and POST /register). Default: 404. */
  registration?: (req: { method: string; params: Record<string, string> }, tool: ScriptedTool) => Promise<ScriptedAnswer>;
}

/**
 * A deliberately broken LTI tool for proving the suite can fail: it answers login initiation with a
 * proper authentication request (like testing/stub-tool.ts), then does whatever `answer` says with
 * the launch — crash, hang, loop, accept blindly. Only for conformance/lti/suite's own tests.
 */
export interface ScriptedTool {
  url: string;
  loginUrl: string;
  launchUrl: string;
  jwksUrl: string;
  registrationUrl: string;
  /** Set once the platform is known: where login initiation sends the browser. */
  platform?: { authorizationEndpoint: string };
  launches: ScriptedLaunch[];
  close(): Promise<void>;
}

export async function startScriptedTool(options: ScriptedToolOptions): Promise<ScriptedTool> {
  const issued = new Map<string, string>();
  const hanging: ServerResponse[] = [];
  const send = (res: ServerResponse, answer: ScriptedAnswer) => {
    if (answer === 'hang') return void hanging.push(res);
    res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8', ...answer.headers }).end(answer.body ?? '');
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', tool.url);
    const params = { ...Object.fromEntries(url.searchParams), ...(req.method === 'POST' ? Object.fromEntries(new URLSearchParams(await readBody(req))) : {}) };
    if (url.pathname === '/jwks') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
    if (url.pathname === '/login') {
      if (!tool.platform) return void res.writeHead(500).end('scripted tool: no platform');
      const state = randomBytes(12).toString('hex');
      const nonce = randomBytes(12).toString('hex');
      issued.set(state, nonce);
      const auth = new URL(tool.platform.authorizationEndpoint);
      const request: Record<string, string> = {
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: params.client_id ?? '',
        redirect_uri: options.redirectUri?.(tool) ?? tool.launchUrl,
        login_hint: params.login_hint ?? '',
        state,
        nonce,
        ...(params.lti_message_hint ? { lti_message_hint: params.lti_message_hint } : {}),
      };
      for (const [k, v] of Object.entries(request)) auth.searchParams.set(k, v);
      return void res.writeHead(302, { location: auth.toString() }).end();
    }
    if (url.pathname === '/launch') {
      const launch: ScriptedLaunch = { fields: params, claims: claimsOf(params.id_token), issuedNonce: params.state ? issued.get(params.state) : undefined };
      tool.launches.push(launch);
      return send(res, options.answer(launch, tool));
    }
    if (url.pathname === '/register' && options.registration) return send(res, await options.registration({ method: req.method ?? 'GET', params }, tool));
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tool: ScriptedTool = {
    url: base,
    loginUrl: `${base}/login`,
    launchUrl: `${base}/launch`,
    jwksUrl: `${base}/jwks`,
    registrationUrl: `${base}/register`,
    launches: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return tool;
}

function claimsOf(idToken: string | undefined): Record<string, unknown> {
  try {
    const parts = (idToken ?? '').split('.');
    return decodeJwt(`${parts[0]}.${parts[1]}.`);
  } catch {
    return {};
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
