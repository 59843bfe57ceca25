import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { generateSigningKey, type SigningKey } from '../emulator/keys/key-ring.js';
import { vocabulary } from '../emulator/vocabulary.js';

/** What the stub tool saw at its redirect URI. */
export interface ReceivedLaunch {
  fields: Record<string, string>;
  /** The state and nonce the stub put in its authentication request, for comparison. */
  issued?: { state: string; nonce: string };
}

/**
 * A bare LTI tool for testing the emulator from the other side: it answers login initiation with a
 * well-formed authentication request (SEC §5.1.1.2), records what reaches its redirect URI, serves
 * its JWKS, and signs client assertions and Deep Linking responses with its own key. It validates
 * nothing — the tests do.
 */
export interface StubTool {
  url: string;
  loginUrl: string;
  launchUrl: string;
  jwksUrl: string;
  key: SigningKey;
  /** Set once the platform is known: where login initiation sends the browser. */
  platform?: { authorizationEndpoint: string };
  launches: ReceivedLaunch[];
  logins: Record<string, string>[];
  clientAssertion(clientId: string, audience: string, overrides?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  deepLinkingResponse(clientId: string, platformIssuer: string, claims: Record<string, unknown>, overrides?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startStubTool(): Promise<StubTool> {
  const key = await generateSigningKey();
  const issued = new Map<string, string>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', tool.url);
    const params = { ...Object.fromEntries(url.searchParams), ...(req.method === 'POST' ? Object.fromEntries(new URLSearchParams(await readBody(req))) : {}) };
    if (url.pathname === '/jwks') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.publicJwk] }));
    if (url.pathname === '/login') {
      tool.logins.push(params);
      if (!tool.platform) return void res.writeHead(500).end('stub tool: no platform');
      const state = randomBytes(12).toString('hex');
      const nonce = randomBytes(12).toString('hex');
      issued.set(state, nonce);
      const auth = new URL(tool.platform.authorizationEndpoint);
      const request = {
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: params.client_id ?? '',
        redirect_uri: tool.launchUrl,
        login_hint: params.login_hint ?? '',
        state,
        nonce,
        ...(params.lti_message_hint ? { lti_message_hint: params.lti_message_hint } : {}),
      };
      for (const [k, v] of Object.entries(request)) auth.searchParams.set(k, v);
      return void res.writeHead(302, { location: auth.toString() }).end();
    }
    if (url.pathname === '/launch') {
      const nonce = params.state ? issued.get(params.state) : undefined;
      tool.launches.push({ fields: params, ...(nonce && params.state ? { issued: { state: params.state, nonce } } : {}) });
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('stub tool: launch received');
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header }).sign(key.privateKey);
  const now = () => Math.floor(Date.now() / 1000);

  const tool: StubTool = {
    url: base,
    loginUrl: `${base}/login`,
    launchUrl: `${base}/launch`,
    jwksUrl: `${base}/jwks`,
    key,
    launches: [],
    logins: [],
    clientAssertion: (clientId, audience, overrides = {}, header = {}) =>
      sign({ iss: clientId, sub: clientId, aud: audience, iat: now(), exp: now() + 60, jti: randomBytes(12).toString('hex'), ...overrides }, header),
    deepLinkingResponse: (clientId, platformIssuer, claims, overrides = {}) =>
      sign({
        iss: clientId,
        aud: platformIssuer,
        iat: now(),
        exp: now() + 60,
        nonce: randomBytes(12).toString('hex'),
        [vocabulary.claims.messageType]: vocabulary.deepLinkingResponse,
        [vocabulary.claims.version]: vocabulary.ltiVersion,
        ...claims,
        ...overrides,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return tool;
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
