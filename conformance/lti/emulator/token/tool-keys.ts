import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { ToolRegistration } from '../state/tool-registry.js';

/**
 * Resolves the key a tool signed with (client assertions, Deep Linking responses): its registered JWKS
 * URL, fetched through jose's cache (refetch on an unknown kid after a cooldown), or keys registered
 * by hand. One cache per tool and emulator instance.
 */
export class ToolKeys {
  private readonly resolvers = new Map<string, { source: string; resolve: JWTVerifyGetKey }>();

  constructor(private readonly cooldownMs = 1000) {}

  for(tool: ToolRegistration): JWTVerifyGetKey {
    const source = tool.jwksUri ?? JSON.stringify(tool.jwks);
    const cached = this.resolvers.get(tool.clientId);
    if (cached && cached.source === source) return cached.resolve;
    const resolve = tool.jwksUri
      ? createRemoteJWKSet(new URL(tool.jwksUri), { cooldownDuration: this.cooldownMs, timeoutDuration: 5000 })
      : createLocalJWKSet(tool.jwks ?? { keys: [] });
    this.resolvers.set(tool.clientId, { source, resolve });
    return resolve;
  }
}
