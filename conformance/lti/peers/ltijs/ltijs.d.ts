/**
 * The slice of ltijs 5.9 (and ltijs-sequelize 2.4) the peer harness uses; neither ships types.
 * ltijs is CommonJS: `module.exports = { Provider: <singleton> }`.
 */
declare module 'ltijs' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface LtiRequest {
    query: Record<string, unknown>;
    body: Record<string, unknown>;
  }
  export interface LtiResponse {
    locals: { ltik?: string; token?: IdToken; context?: PlatformContext };
    status(code: number): LtiResponse;
    send(body: unknown): LtiResponse;
    json(body: unknown): LtiResponse;
  }
  export type LtiHandler = (req: LtiRequest, res: LtiResponse, next: () => void) => unknown;

  export interface PlatformContext {
    context?: { id: string; label?: string; title?: string };
    resource?: { id: string; title?: string };
    messageType: string;
    version: string;
    roles: string[];
    targetLinkUri?: string;
    custom?: Record<string, string>;
    endpoint?: { scope: string[]; lineitems?: string; lineitem?: string };
    namesRoles?: { context_memberships_url: string };
    deepLinkingSettings?: Record<string, unknown>;
  }
  export interface IdToken {
    iss: string;
    user: string;
    userInfo: { given_name?: string; family_name?: string; name?: string; email?: string };
    platformInfo?: Record<string, unknown>;
    clientId: string;
    deploymentId: string;
    platformContext: PlatformContext;
  }
  export interface PlatformRegistration {
    url: string;
    name: string;
    clientId: string;
    authenticationEndpoint: string;
    accesstokenEndpoint: string;
    authorizationServer?: string;
    authConfig: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY'; key: string };
  }
  export interface Provider {
    app: ((req: IncomingMessage, res: ServerResponse) => void) & {
      get(path: string, handler: LtiHandler): void;
      post(path: string, handler: LtiHandler): void;
    };
    setup(encryptionKey: string, database: { plugin: unknown }, options: Record<string, unknown>): Provider;
    deploy(options: { serverless?: boolean; silent?: boolean; port?: number }): Promise<true>;
    close(options?: { silent?: boolean }): Promise<true>;
    onConnect(callback: (token: IdToken, req: LtiRequest, res: LtiResponse, next: () => void) => unknown): true;
    onDeepLinking(callback: (token: IdToken, req: LtiRequest, res: LtiResponse, next: () => void) => unknown): true;
    onInvalidToken(callback: (req: LtiRequest, res: LtiResponse & { locals: { err?: unknown } }) => unknown): true;
    registerPlatform(platform: PlatformRegistration): Promise<{ platformKid(): Promise<string> }>;
    DeepLinking: { createDeepLinkingForm(token: IdToken, items: Record<string, unknown>[], options?: { message?: string }): Promise<string> };
    NamesAndRoles: { getMembers(token: IdToken, options?: Record<string, unknown>): Promise<{ members: Record<string, unknown>[]; context?: unknown }> };
    Grade: {
      createLineItem(token: IdToken, lineItem: Record<string, unknown>): Promise<{ id: string } & Record<string, unknown>>;
      submitScore(token: IdToken, lineItemId: string, score: Record<string, unknown>): Promise<Record<string, unknown>>;
      getScores(token: IdToken, lineItemId: string, options?: Record<string, unknown>): Promise<{ scores: Record<string, unknown>[] }>;
    };
  }
  const ltijs: { Provider: Provider };
  export default ltijs;
}

declare module 'ltijs-sequelize' {
  export default class Database {
    constructor(database: string, user: string, pass: string, options: Record<string, unknown>);
  }
}
