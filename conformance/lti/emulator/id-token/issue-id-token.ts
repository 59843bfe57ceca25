import type { EmulatorContext } from '../context.js';
import type { PendingLaunch } from '../state/launches.js';
import { applyEdits, type TamperEnvironment } from '../tamper/apply-edits.js';
import { encodeToken } from '../tamper/encode-token.js';
import type { SignatureTamper } from '../tamper/tamper-table.js';
import { buildClaims } from './build-claims.js';
import { resolveLaunchSubject } from './launch-subject.js';

/** The id_token and the form fields the auth endpoint posts to the tool's redirect_uri (SEC §5.1.1.3). */
export interface IssuedIdToken {
  idToken: string;
  /** id_token and state, after any formPost tamper. */
  fields: Record<string, string>;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/**
 * Mints the launch's id_token: claims for its message type, then the launch's tampers in table order
 * (claims, header, signature, format, posted fields). `record: false` is a dry run (used to refuse a
 * launch whose tampers cannot apply before any browser is sent anywhere).
 */
export async function issueIdToken(
  ctx: EmulatorContext,
  launch: PendingLaunch,
  nonce: string,
  state: string | undefined,
  { record }: { record: boolean } = { record: true },
): Promise<IssuedIdToken> {
  const claims = buildClaims(ctx, resolveLaunchSubject(ctx, launch), nonce);
  const header: Record<string, unknown> = { typ: 'JWT', alg: 'RS256', kid: ctx.keys.current.kid };
  const fields: Record<string, string> = state === undefined ? {} : { state };
  const env: TamperEnvironment = {
    nowSeconds: Math.floor(ctx.now() / 1000),
    clientId: launch.clientId,
    issuer: ctx.endpoints.issuer,
    deploymentId: launch.deploymentId,
    previousNonce: ctx.deliveredNonces.get(launch.clientId),
  };
  let signature: SignatureTamper | undefined;
  let format: 'two-parts' | undefined;
  for (const tamper of launch.tamper.map((id) => ctx.tampers.get(id))) {
    if (tamper.claims) applyEdits(claims, tamper.claims, env, tamper.id);
    if (tamper.header) applyEdits(header, tamper.header, env, tamper.id);
    if (tamper.formPost) applyEdits(fields, tamper.formPost, env, tamper.id);
    if (tamper.signature) {
      if (signature && signature !== tamper.signature) throw new Error(`tampers ${launch.tamper.join(', ')} ask for two different signatures`);
      signature = tamper.signature;
    }
    format = tamper.format ?? format;
  }
  const idToken = await encodeToken(header, claims, ctx.keys, signature, format);
  if (record) {
    if (typeof claims.nonce === 'string') ctx.deliveredNonces.set(launch.clientId, claims.nonce);
    launch.issued = { nonce, at: ctx.now() };
  }
  return { idToken, fields: { id_token: idToken, ...fields }, header, claims };
}
