import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { LtiError } from '../errors.js';
import { type Registration, toRegistration } from './registration.js';

/**
 * The registration a login names (fact sheet §1.2, §13): by (issuer, client_id) when the platform
 * sends client_id; otherwise the only registration of the issuer, or the only one of them holding
 * the announced lti_deployment_id. Several candidates and no way to choose is an explicit
 * "ambiguous registration" error, never a guess.
 */
export async function findRegistration(
  db: Kysely<Database>,
  hint: { issuer: string; clientId: string | undefined; deploymentId: string | undefined },
): Promise<Registration> {
  let q = db.selectFrom('lti_platforms').selectAll().where('issuer', '=', hint.issuer);
  if (hint.clientId !== undefined) q = q.where('client_id', '=', hint.clientId);
  const rows = await q.limit(50).execute();
  if (rows.length === 1 && rows[0]) return toRegistration(rows[0]);
  if (rows.length === 0) {
    throw new LtiError(
      'registration-unknown',
      `no registration for issuer ${hint.issuer}${hint.clientId !== undefined ? ` and client_id ${hint.clientId}` : ''}`,
    );
  }
  if (hint.deploymentId !== undefined) {
    const holding = await db
      .selectFrom('lti_deployments')
      .select('platform_id')
      .where(
        'platform_id',
        'in',
        rows.map((r) => r.id),
      )
      .where('deployment_id', '=', hint.deploymentId)
      .execute();
    const only = holding.length === 1 ? rows.find((r) => r.id === holding[0]?.platform_id) : undefined;
    if (only) return toRegistration(only);
  }
  throw new LtiError('registration-ambiguous', `${rows.length} registrations have issuer ${hint.issuer} and the login sent no client_id that picks one`);
}
