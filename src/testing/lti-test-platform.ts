import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import type supertest from 'supertest';
import { CLAIM } from '../lti/claims.js';
import { createPlatform } from '../lti/registrations/platforms.js';
import type { ActorContext } from '../security/audit-log.js';
import type { TenantId } from '../tenancy/ids.js';
import type { TestApp } from './test-app.js';

/**
 * A minimal LTI 1.3 platform for tests (the full emulator lives in conformance/lti): its own RS256
 * keys, a JWKS served from a loopback HTTP server (which counts its hits), an id_token builder that
 * can break every rule the launch checks, and for Dynamic Registration an OpenID configuration and a
 * registration endpoint that records what the tool sends.
 */
export const ROLE = {
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  institutionStudent: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student',
  mentor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor',
};

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export interface TokenOptions {
  /** The nonce from the authentication request (the login's redirect). */
  nonce?: string;
  /** Claims merged over the default instructor resource-link launch (undefined values remove a claim). */
  claims?: Record<string, unknown>;
  /** Header overrides; `kid: undefined` removes the kid. */
  header?: Record<string, unknown>;
  /** 'none': unsecured JWT; 'hs256-public-key': HMAC with the platform's public key PEM as the secret. */
  alg?: 'RS256' | 'none' | 'hs256-public-key';
  /** Sign this text as the payload instead of JSON claims. */
  rawPayload?: string;
  /** Sign with another key than the current one. */
  key?: SigningKey;
}

export interface DrBehaviour {
  /** The issuer the OpenID configuration announces (default: the server's own origin). */
  issuer?: string;
  /** HTTP status of the registration endpoint (default 200). */
  registrationStatus?: number;
  deploymentId?: string;
  messagesSupported?: string[];
  scopesSupported?: string[];
}

export interface TestPlatform {
  readonly origin: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly jwksUrl: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly openidConfigurationUrl: string;
  readonly toolBaseUrl: string;
  /** How many times the JWKS was fetched. */
  jwksHits: number;
  /** The Cache-Control header the JWKS is served with. */
  jwksCacheControl: string;
  /** Answer the JWKS with this status (an outage) instead of 200. */
  jwksStatus: number;
  current: SigningKey;
  /** Keys in the JWKS. */
  published: SigningKey[];
  dr: DrBehaviour;
  registrationRequests: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[];
  configurationRequests: { headers: IncomingMessage['headers'] }[];
  idToken(options?: TokenOptions): Promise<string>;
  defaultClaims(nonce: string): Record<string, unknown>;
  /** A new key that signs from now on; the old one stays published when `keepOld`. */
  rotate(keepOld?: boolean): Promise<SigningKey>;
  newKey(): Promise<SigningKey>;
  /** Registers this platform (issuer, client id, deployment) in a tenant of the app. */
  register(t: TestApp, tenantId: TenantId, extra?: { autoRegisterDeployments?: boolean; clientId?: string; deployments?: string[] }): Promise<string>;
  close(): Promise<void>;
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = `k-${randomUUID().slice(0, 8)}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }, publicPem: await exportSPKI(publicKey) };
}

export async function startTestPlatform(options: { now: () => Date; toolBaseUrl: string; clientId?: string; deploymentId?: string }): Promise<TestPlatform> {
  const first = await newSigningKey();
  let server: Server | undefined;
  const p = {
    jwksHits: 0,
    jwksCacheControl: 'max-age=300',
    jwksStatus: 200,
    current: first,
    published: [first],
    dr: {} as DrBehaviour,
    registrationRequests: [] as TestPlatform['registrationRequests'],
    configurationRequests: [] as TestPlatform['configurationRequests'],
  };

  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === '/jwks') {
        p.jwksHits++;
        if (p.jwksStatus !== 200) return json(p.jwksStatus, { error: 'unavailable' });
        return json(200, { keys: p.published.map((k) => k.publicJwk) }, { 'Cache-Control': p.jwksCacheControl });
      }
      if (url.pathname === '/.well-known/openid-configuration') {
        p.configurationRequests.push({ headers: req.headers });
        return json(200, {
          issuer: p.dr.issuer ?? origin,
          authorization_endpoint: `${origin}/auth`,
          token_endpoint: `${origin}/token`,
          jwks_uri: `${origin}/jwks`,
          registration_endpoint: `${origin}/register`,
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
          token_endpoint_auth_signing_alg_values_supported: ['RS256'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: p.dr.scopesSupported ?? ['openid', 'https://purl.imsglobal.org/spec/lti-ags/scope/score'],
          response_types_supported: ['id_token'],
          claims_supported: ['iss', 'sub', 'name', 'email'],
          'https://purl.imsglobal.org/spec/lti-platform-configuration': {
            product_family_code: 'edhub-test-lms',
            version: '1.0',
            messages_supported: (p.dr.messagesSupported ?? ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']).map((type) => ({ type })),
          },
        });
      }
      if (url.pathname === '/register' && req.method === 'POST') {
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(body);
        } catch {
          // recorded as empty: the test asserts on it
        }
        p.registrationRequests.push({ headers: req.headers, body: parsed });
        const status = p.dr.registrationStatus ?? 200;
        if (status !== 200) return json(status, { error: 'invalid_client_metadata' });
        return json(200, {
          ...parsed,
          client_id: `dr-client-${p.registrationRequests.length}`,
          'https://purl.imsglobal.org/spec/lti-tool-configuration': {
            ...(parsed['https://purl.imsglobal.org/spec/lti-tool-configuration'] as object),
            deployment_id: p.dr.deploymentId ?? 'dr-deployment-1',
          },
        });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = options.clientId ?? 'edhub-client-1';
  const deploymentId = options.deploymentId ?? 'deployment-1';

  const platform: TestPlatform = Object.assign(p, {
    origin,
    issuer: origin,
    clientId,
    deploymentId,
    jwksUrl: `${origin}/jwks`,
    authUrl: `${origin}/auth`,
    tokenUrl: `${origin}/token`,
    openidConfigurationUrl: `${origin}/.well-known/openid-configuration`,
    toolBaseUrl: options.toolBaseUrl,

    defaultClaims(nonce: string): Record<string, unknown> {
      const iat = Math.floor(options.now().getTime() / 1000);
      return {
        iss: origin,
        aud: clientId,
        sub: 'user-instructor-1',
        iat,
        exp: iat + 300,
        nonce,
        name: 'Ada Lovelace',
        given_name: 'Ada',
        family_name: 'Lovelace',
        email: 'ada@example.edu',
        [CLAIM.messageType]: 'LtiResourceLinkRequest',
        [CLAIM.version]: '1.3.0',
        [CLAIM.deploymentId]: deploymentId,
        [CLAIM.targetLinkUri]: `${options.toolBaseUrl}/lti/launch`,
        [CLAIM.resourceLink]: { id: 'resource-link-1', title: 'Week 1 reading' },
        [CLAIM.roles]: [ROLE.instructor],
        [CLAIM.context]: {
          id: 'course-1',
          label: 'BIO 101',
          title: 'Introduction to Biology',
          type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
        },
        [CLAIM.toolPlatform]: { guid: 'test-lms-1', name: 'Test LMS', product_family_code: 'edhub-test-lms' },
      };
    },

    async idToken(o: TokenOptions = {}): Promise<string> {
      const key = o.key ?? p.current;
      const header: Record<string, unknown> = { alg: 'RS256', kid: key.kid, typ: 'JWT', ...o.header };
      for (const [k, v] of Object.entries(header)) if (v === undefined) delete header[k];
      if (o.rawPayload !== undefined) {
        return new CompactSign(new TextEncoder().encode(o.rawPayload)).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
      }
      const claims: Record<string, unknown> = { ...platform.defaultClaims(o.nonce ?? 'no-nonce'), ...o.claims };
      for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
      if (o.alg === 'none') {
        const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        return `${b64({ ...header, alg: 'none' })}.${b64(claims)}.`;
      }
      if (o.alg === 'hs256-public-key') {
        return new SignJWT(claims).setProtectedHeader({ ...header, alg: 'HS256' }).sign(new TextEncoder().encode(key.publicPem));
      }
      return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
    },

    newKey: newSigningKey,

    async rotate(keepOld = true): Promise<SigningKey> {
      const next = await newSigningKey();
      p.published = keepOld ? [...p.published, next] : [next];
      p.current = next;
      return next;
    },

    async register(
      t: TestApp,
      tenantId: TenantId,
      extra: { autoRegisterDeployments?: boolean; clientId?: string; deployments?: string[] } = {},
    ): Promise<string> {
      const ctx: ActorContext = t.ctx;
      const created = await createPlatform(t.database.db, ctx, tenantId, {
        name: 'Test LMS',
        issuer: origin,
        clientId: extra.clientId ?? clientId,
        authUrl: `${origin}/auth`,
        tokenUrl: `${origin}/token`,
        jwksUrl: `${origin}/jwks`,
        deployments: extra.deployments ?? [deploymentId],
        autoRegisterDeployments: extra.autoRegisterDeployments ?? false,
      });
      return created.id;
    },

    close: () =>
      new Promise<void>((resolve) => {
        server?.closeAllConnections();
        server?.close(() => resolve());
      }),
  });
  return platform;
}

/** What the tool's login answered: the state and nonce it put in the authentication request, and the state cookie. */
export interface LoginResult {
  state: string;
  nonce: string;
  cookie: string;
  authRequest: URL;
}

type Http = ReturnType<typeof supertest>;

/** Third-party login initiation as a platform starts it (GET), returning what a browser would carry on. */
export async function ltiLogin(http: Http, platform: TestPlatform, params: Record<string, string> = {}): Promise<LoginResult> {
  const res = await http.get('/lti/login').query({
    iss: platform.issuer,
    login_hint: 'user-instructor-1',
    target_link_uri: `${platform.toolBaseUrl}/lti/launch`,
    lti_message_hint: 'message-hint-42',
    client_id: platform.clientId,
    lti_deployment_id: platform.deploymentId,
    ...params,
  });
  if (res.status !== 302) throw new Error(`login answered ${res.status}: ${res.text.slice(0, 500)}`);
  const authRequest = new URL(res.headers.location as string);
  const setCookie = res.headers['set-cookie'] as unknown as string[];
  return {
    state: authRequest.searchParams.get('state') ?? '',
    nonce: authRequest.searchParams.get('nonce') ?? '',
    cookie: (setCookie[0] ?? '').split(';')[0] ?? '',
    authRequest,
  };
}

/** The platform's form post of id_token and state to the launch URL, with the browser's cookie. */
export function ltiLaunch(http: Http, form: { id_token?: string; state?: string; [k: string]: string | undefined }, cookie?: string) {
  const body = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const req = http.post('/lti/launch').type('form');
  if (cookie) req.set('Cookie', cookie);
  return req.send(body);
}
