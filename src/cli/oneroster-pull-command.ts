import { formatPullDiagnostic, lastSuccessfulPull, type PullCredentials, PullOptionsError, type PullResult, pullRoster } from '../oneroster/pull/index.js';
import { Problem } from '../problems.js';
import type { Runtime } from '../runtime.js';
import type { ActorContext } from '../security/audit-log.js';
import { CommandFailed } from './command-failed.js';
import type { CommandArgs, CommandIO, CommandResult } from './commands.js';
import { tenantArg } from './tenant-arg.js';
import { table } from './text-output.js';

/** Where the CLI reads the secret from when --client-secret is not given (so it stays out of shell history). */
export const PULL_SECRET_ENV = 'EDHUB_PULL_CLIENT_SECRET';

/** Diagnostics a person sees in the terminal; --json has them all. */
const SHOWN = 20;

/**
 * `edhub oneroster pull`: a roster from a OneRoster 1.1/1.2 provider into a tenant (src/oneroster/pull).
 * Without --full or --since it pulls the changes since the last successful pull from that provider,
 * or everything when there was none. The credentials are used for this run only and never stored.
 */
export async function pullCommand(rt: Runtime, args: CommandArgs, ctx: ActorContext, io?: CommandIO): Promise<CommandResult> {
  const tenantId = await tenantArg(rt, args.tenant);
  const baseUrl = String(args.from ?? '');
  if (!baseUrl) throw new Problem('validation-failed', '--from <baseUrl> is required');
  const version = args.version === undefined ? undefined : String(args.version);
  if (version !== undefined && version !== '1.1' && version !== '1.2') throw new Problem('validation-failed', '--version must be 1.1 or 1.2');
  if (args.full === true && args.since !== undefined) throw new Problem('validation-failed', 'give --full or --since, not both');
  const since = args.since === undefined ? undefined : new Date(String(args.since));
  if (since && Number.isNaN(since.getTime())) throw new Problem('validation-failed', `--since ${String(args.since)} is not an ISO 8601 date-time`);
  const mode = args.full === true ? 'full' : since || (await lastSuccessfulPull(rt.database.db, tenantId, baseUrl)) ? 'delta' : 'full';

  let result: PullResult;
  try {
    result = await pullRoster(
      { db: rt.database.db, copyIn: rt.database.copyIn, logger: rt.logger },
      {
        tenantId,
        baseUrl,
        version,
        credentials: credentialsOf(args),
        mode,
        since,
        includeGradebook: args.gradebook === true,
        ctx,
        onProgress: io?.progress ? (p) => io.progress?.(p.name, p.count) : undefined,
      },
    );
  } catch (err) {
    if (err instanceof PullOptionsError) throw new Problem('validation-failed', err.message);
    throw err;
  }
  const text = describe(result, baseUrl);
  if (result.status === 'failed') throw new CommandFailed({ data: result, text });
  return { data: result, text };
}

function credentialsOf(args: CommandArgs): PullCredentials {
  const id = String(args.clientId ?? '');
  const secret = String(args.clientSecret ?? '');
  if (!id) throw new Problem('validation-failed', '--client-id is required');
  if (!secret) throw new Problem('validation-failed', `give the secret with --client-secret or in ${PULL_SECRET_ENV}`);
  const auth = String(args.auth ?? 'oauth2');
  if (auth === 'oauth1') {
    if (args.tokenUrl !== undefined) throw new Problem('validation-failed', '--token-url applies to --auth oauth2 only');
    return { kind: 'oauth1', consumerKey: id, consumerSecret: secret };
  }
  if (auth !== 'oauth2') throw new Problem('validation-failed', '--auth must be oauth2 or oauth1');
  return { kind: 'oauth2', clientId: id, clientSecret: secret, ...(args.tokenUrl !== undefined ? { tokenUrl: String(args.tokenUrl) } : {}) };
}

function describe(r: PullResult, baseUrl: string): string {
  const what = `OneRoster ${r.version ?? '?'} ${r.mode}${r.since ? ` since ${r.since}` : ''} from ${baseUrl}`;
  const http = `${r.requests} request(s), ${r.pages} page(s), ${r.retries} retr${r.retries === 1 ? 'y' : 'ies'}`;
  const lines = [`pull ${r.pullId} ${r.status}: ${what} in ${(r.durationMs / 1000).toFixed(1)} s; ${http}`];
  const files = Object.entries(r.counts);
  if (files.length > 0) {
    lines.push(
      table([
        ['FILE', 'ROWS', 'CREATED', 'UPDATED', 'UNCHANGED', 'DELETED'],
        ...files.map(([file, c]) => [file, c.rows, c.inserted, c.updated, c.unchanged, c.deleted].map(String)),
        ['total', '', ...[r.totals.created, r.totals.updated, r.totals.unchanged, r.totals.deleted].map(String)],
      ]),
    );
  }
  lines.push(...r.diagnostics.slice(0, SHOWN).map(formatPullDiagnostic));
  const more = r.errors + r.warnings - Math.min(SHOWN, r.diagnostics.length);
  if (more > 0) lines.push(`… and ${more} more (--json lists up to ${r.diagnostics.length})`);
  if (r.failure) lines.push(`failed (${r.failure.code}): ${r.failure.message}`);
  else lines.push(`the next delta starts from ${r.cursor}`);
  return lines.join('\n');
}
