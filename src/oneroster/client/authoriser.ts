import { oauth1AuthorizationHeader } from './oauth1-signature.js';
import { bearerAuthoriser, createOAuth2TokenSource } from './oauth2-token-source.js';
import type { ResolvedOptions } from './options.js';
import type { Authoriser, Send } from './transport.js';

/** The configured auth method (fact sheet §6) as the transport sees it. */
export function createAuthoriser(o: ResolvedOptions, send: Send): Authoriser {
  const auth = o.auth;
  switch (auth.kind) {
    case 'oauth2':
      return bearerAuthoriser(createOAuth2TokenSource(auth, send, o.now));
    case 'oauth1':
      // A 401 to a signed request is a wrong key or secret (or clock): signing again will not help.
      return { authorise: async (method, url) => oauth1AuthorizationHeader(method, url, auth, o.now()), refreshAfter401: () => false };
    default: {
      const never: never = auth;
      throw new TypeError(`unknown auth kind ${String((never as { kind: unknown }).kind)}`);
    }
  }
}
