#!/usr/bin/env node
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { CommandFailed } from './cli/command-failed.js';
import { type CommandArgs, type CommandResult, commands } from './cli/commands.js';
import { addConformanceCommands } from './cli/conformance-commands.js';
import { sendControlCommand } from './cli/control-socket.js';
import { addEmulatorCommand } from './cli/emulator-command.js';
import { validateCommand } from './cli/oneroster-commands.js';
import { PULL_SECRET_ENV } from './cli/oneroster-pull-command.js';
import { portOption, repeatable } from './cli/option-parsers.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { DataDirLockedError, readLiveHolder } from './db/data-dir-lock.js';
import { MigrationError } from './db/migrate.js';
import type { EdhubConfig } from './generated/config.js';
import { startServer } from './main.js';
import { createLogger } from './observability/logger.js';
import { isProblemCode, Problem } from './problems.js';
import { openRuntime, version } from './runtime.js';
import type { ActorContext } from './security/audit-log.js';
import { MasterKeyError } from './security/master-keyring.js';
import { VaultError } from './security/vault.js';

/** Errors whose message is written for the operator; anything else is a bug and shows its stack. */
const EXPECTED = [Problem, ConfigError, DataDirLockedError, MigrationError, MasterKeyError, VaultError];

function fail(err: unknown, json: boolean): never {
  const expected = EXPECTED.some((E) => err instanceof E);
  const message = err instanceof Problem ? err.detail : err instanceof Error ? err.message : String(err);
  const code = err instanceof Problem ? err.code : expected ? (err as Error).name : 'internal';
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  process.stderr.write(`edhub: ${message}\n`);
  if (!expected && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}

function print(result: CommandResult, json: boolean): void {
  process.stdout.write(`${json ? JSON.stringify(result.data) : result.text}\n`);
}

/**
 * Runs one operator command: through the running server's control socket when a server holds the
 * embedded data directory, otherwise on a database this process opens (and migrates) itself.
 */
async function run(name: string, args: CommandArgs, json: boolean): Promise<void> {
  try {
    const config = loadConfig();
    const actor: ActorContext['actor'] = { type: 'cli', id: `${userInfo().username}@${hostname()}` };
    if (!config.databaseUrl) {
      const holder = readLiveHolder(config.dataDir);
      if (holder?.role === 'server' && holder.controlSocket) {
        const answer = await sendControlCommand(holder.controlSocket, { command: name, args, actor });
        if (answer.ok) return print(answer.result, json);
        if (answer.result) throw new CommandFailed(answer.result);
        const code = answer.error.code;
        throw isProblemCode(code) && code !== 'internal' ? new Problem(code, answer.error.message) : new Error(answer.error.message);
      }
    }
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
    const rt = await openRuntime(config, logger, 'cli');
    try {
      const command = commands[name] as NonNullable<(typeof commands)[string]>;
      print(await command(rt, args, { actor, requestId: null, sourceIp: null }, { progress: progressLine() }), json);
    } finally {
      await rt.close();
    }
  } catch (err) {
    if (!(err instanceof CommandFailed)) return fail(err, json);
    print(err.result, json);
    process.exit(1);
  }
}

/** A one-line progress display on an interactive terminal (stderr), nothing otherwise. */
function progressLine(): ((file: string, rows: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (file, rows) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    process.stderr.write(`\r\x1b[2K${file}: ${rows.toLocaleString('en-US')} rows`);
  };
}

async function serve(opts: { port?: number }): Promise<void> {
  let config: EdhubConfig;
  try {
    config = loadConfig({ overrides: { port: opts.port } });
  } catch (err) {
    return fail(err, false);
  }
  const logger = createLogger(config.logLevel);
  try {
    const server = await startServer(config, logger);
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      server.close().then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  } catch (err) {
    fail(err, false);
  }
}

const program = new Command('edhub')
  .description('EdHub, the standards-first education interoperability server')
  .version(version)
  // Root options only before the subcommand, so `oneroster export --version 1.2` is the export's own option.
  .enablePositionalOptions();
const jsonFlag = ['--json', 'print machine-readable JSON'] as const;

program.command('serve').description('run the HTTP server').option('--port <n>', 'port to listen on (overrides PORT)', portOption).action(serve);

program
  .command('db')
  .description('database maintenance')
  .command('migrate')
  .description('apply pending migrations (also done at every start)')
  .option(...jsonFlag)
  .action((o) => run('db migrate', {}, Boolean(o.json)));

const tenant = program.command('tenant').description('tenants');
tenant
  .command('create <name>')
  .description('create a tenant')
  .option(...jsonFlag)
  .action((name, o) => run('tenant create', { name }, Boolean(o.json)));
tenant
  .command('list')
  .description('list tenants')
  .option(...jsonFlag)
  .action((o) => run('tenant list', {}, Boolean(o.json)));

const client = program.command('client').description('OAuth 2.0 clients (client credentials)');
client
  .command('create')
  .description('create a client; its secret is shown once')
  .requiredOption('--tenant <id>', 'tenant id')
  .requiredOption('--scopes <scopes>', 'space-separated scopes')
  .option('--name <name>', 'a label')
  .option('--oauth1', 'also accept OAuth 1.0a signed OneRoster 1.1 requests (keeps the secret encrypted in the vault)')
  .option(...jsonFlag)
  .action((o) => run('client create', { tenant: o.tenant, scopes: o.scopes, name: o.name, oauth1: Boolean(o.oauth1) }, Boolean(o.json)));
client
  .command('list')
  .requiredOption('--tenant <id>', 'tenant id')
  .option(...jsonFlag)
  .action((o) => run('client list', { tenant: o.tenant }, Boolean(o.json)));
client
  .command('revoke <clientId>')
  .description('revoke a client and its access tokens')
  .option(...jsonFlag)
  .action((clientId, o) => run('client revoke', { clientId }, Boolean(o.json)));

const apikey = program.command('apikey').description('API keys');
apikey
  .command('create')
  .description('create an API key; the key is shown once')
  .option('--tenant <id>', 'tenant id (organization credential)')
  .option('--platform', 'a platform credential (platform.admin), not bound to a tenant')
  .requiredOption('--scopes <scopes>', 'space-separated scopes')
  .option('--name <name>', 'a label')
  .option(...jsonFlag)
  .action((o) => run('apikey create', { tenant: o.tenant, platform: o.platform, scopes: o.scopes, name: o.name }, Boolean(o.json)));
apikey
  .command('list')
  .option('--tenant <id>', 'tenant id')
  .option('--platform', 'list platform keys')
  .option(...jsonFlag)
  .action((o) => run('apikey list', { tenant: o.tenant, platform: o.platform }, Boolean(o.json)));
apikey
  .command('revoke <id>')
  .description('revoke an API key')
  .option(...jsonFlag)
  .action((id, o) => run('apikey revoke', { id }, Boolean(o.json)));

program
  .command('keys')
  .description('key management')
  .command('rotate-master')
  .description('re-wrap every vault data key under the current master key (generating a new one when EdHub manages the keyring)')
  .option(...jsonFlag)
  .action((o) => run('keys rotate-master', {}, Boolean(o.json)));

const lti = program.command('lti').description('LTI 1.3 tool: platform registrations and signing keys');
const ltiPlatform = lti.command('platform').description("a tenant's LTI platform registrations (issuer + client_id, deployments)");
ltiPlatform
  .command('add')
  .description('register an LTI 1.3 platform in a tenant')
  .requiredOption('--tenant <id>', 'tenant id')
  .requiredOption('--issuer <url>', "the platform's issuer (iss)")
  .requiredOption('--client-id <id>', 'the client_id the platform gave EdHub')
  .requiredOption('--auth-url <url>', "the platform's OIDC authorization endpoint")
  .requiredOption('--token-url <url>', "the platform's OAuth 2.0 token endpoint")
  .requiredOption('--jwks-url <url>', "the platform's key set URL")
  .option('--deployment <id>', 'a deployment id (repeat for several)', repeatable, [] as string[])
  .option('--token-audience <aud>', 'aud for client assertions when the token server names itself differently from --token-url')
  .option('--auto-register-deployments', 'accept launches from unknown deployment ids of this registration, registering them')
  .option('--name <name>', 'a label')
  .option(...jsonFlag)
  .action((o) =>
    run(
      'lti platform add',
      {
        tenant: o.tenant,
        issuer: o.issuer,
        clientId: o.clientId,
        authUrl: o.authUrl,
        tokenUrl: o.tokenUrl,
        jwksUrl: o.jwksUrl,
        deployments: JSON.stringify(o.deployment),
        tokenAudience: o.tokenAudience,
        autoRegisterDeployments: o.autoRegisterDeployments,
        name: o.name,
      },
      Boolean(o.json),
    ),
  );
ltiPlatform
  .command('list')
  .description('list platform registrations (of one tenant, or of all)')
  .option('--tenant <id>', 'only this tenant')
  .option(...jsonFlag)
  .action((o) => run('lti platform list', { tenant: o.tenant }, Boolean(o.json)));
ltiPlatform
  .command('remove <platformId>')
  .description('remove a registration with its deployments and sessions')
  .option(...jsonFlag)
  .action((platformId, o) => run('lti platform remove', { platformId }, Boolean(o.json)));
ltiPlatform
  .command('invite')
  .description('create a Dynamic Registration URL for a tenant, to paste into an LMS (works once, expires)')
  .requiredOption('--tenant <id>', 'tenant id')
  .option('--name <name>', 'a label')
  .option('--expires-in-hours <n>', 'how long the URL works', '24')
  .option(...jsonFlag)
  .action((o) => run('lti platform invite', { tenant: o.tenant, name: o.name, expiresInHours: o.expiresInHours }, Boolean(o.json)));
const ltiKeys = lti.command('keys').description("the tool's RS256 signing keys (/.well-known/jwks.json)");
ltiKeys
  .command('rotate')
  .description('make a new signing key: published now, signing after the JWKS cache period; the old one stays published for the overlap')
  .option('--immediate', 'sign with the new key at once (after a key compromise)')
  .option(...jsonFlag)
  .action((o) => run('lti keys rotate', { immediate: o.immediate }, Boolean(o.json)));
ltiKeys
  .command('list')
  .description('the signing keys and where each is in its schedule')
  .option(...jsonFlag)
  .action((o) => run('lti keys list', {}, Boolean(o.json)));
addEmulatorCommand(lti, (err) => fail(err, false));

const oneroster = program.command('oneroster').description('OneRoster: CSV packages, and pulls from REST providers');
oneroster
  .command('validate <package>')
  .description('validate a OneRoster 1.1/1.2 CSV package (zip or directory); exit 1 when it has errors')
  .option('--max-diagnostics <n>', 'row-level diagnostics listed before the rest are only counted', '1000')
  .option(...jsonFlag)
  .action(async (path, o) => {
    try {
      const { result, ok } = await validateCommand(path, { maxDiagnostics: Math.max(1, Number(o.maxDiagnostics) || 1000) });
      print(result, Boolean(o.json));
      process.exit(ok ? 0 : 1);
    } catch (err) {
      fail(err, Boolean(o.json));
    }
  });
oneroster
  .command('import <package>')
  .description('validate and import a package into a tenant, all or nothing')
  .requiredOption('--tenant <id>', 'tenant id')
  .option(...jsonFlag)
  .action((path, o) => run('oneroster import', { path: resolve(path), tenant: o.tenant }, Boolean(o.json)));
oneroster
  .command('export')
  .description("write a tenant's roster as a OneRoster package (bulk, or a delta since a moment)")
  .requiredOption('--tenant <id>', 'tenant id')
  .requiredOption('--version <version>', '1.1 or 1.2')
  .option('--since <iso>', 'only what changed after this ISO 8601 date-time (a delta package)')
  .requiredOption('--out <file.zip>', 'where to write the zip')
  .option(...jsonFlag)
  .action((o) => run('oneroster export', { tenant: o.tenant, version: o.version, since: o.since, out: resolve(o.out) }, Boolean(o.json)));
oneroster
  .command('pull')
  .description(
    `pull a roster from a OneRoster 1.1/1.2 REST provider into a tenant, all or nothing: the changes since the last successful pull from that provider, or everything with --full (also the first time). The secret is read from ${PULL_SECRET_ENV} when --client-secret is not given (keeping it out of shell history); credentials are never stored`,
  )
  .requiredOption('--tenant <id>', 'tenant id')
  .requiredOption('--from <baseUrl>', "the provider's base URL, e.g. https://sis.example/ims/oneroster (or a …/v1p1 or …/rostering/v1p2 base)")
  .requiredOption('--client-id <id>', 'OAuth 2 client id (or OAuth 1.0a consumer key)')
  .option('--client-secret <secret>', `OAuth 2 client secret (or OAuth 1.0a consumer secret); default: $${PULL_SECRET_ENV}`)
  .option('--token-url <url>', 'OAuth 2 token endpoint (default: /oauth/token at the base URL’s origin)')
  .option('--auth <kind>', 'oauth2 or oauth1 (OAuth 1.0a, OneRoster 1.1)', 'oauth2')
  .option('--version <version>', '1.1 or 1.2 (default: detected)')
  .option('--since <iso>', 'pull the changes after this ISO 8601 date-time (a delta)')
  .option('--full', 'pull everything; records the provider no longer lists become tobedeleted')
  .option('--gradebook', 'also pull categories, line items, results (and score scales on 1.2)')
  .option(...jsonFlag)
  .action((o) =>
    run(
      'oneroster pull',
      {
        tenant: o.tenant,
        from: o.from,
        clientId: o.clientId,
        clientSecret: o.clientSecret ?? process.env[PULL_SECRET_ENV],
        tokenUrl: o.tokenUrl,
        auth: o.auth,
        version: o.version,
        since: o.since,
        full: Boolean(o.full),
        gradebook: Boolean(o.gradebook),
      },
      Boolean(o.json),
    ),
  );

program
  .command('audit')
  .description('the audit log')
  .command('list')
  .option('--tenant <id>', 'only this tenant')
  .option('--action <action>', 'an action, or a prefix like api_key.*')
  .option('--limit <n>', 'how many events, newest first', '50')
  .option(...jsonFlag)
  .action((o) => run('audit list', { tenant: o.tenant, action: o.action, limit: o.limit }, Boolean(o.json)));

addConformanceCommands(program, (err) => fail(err, false));

await program.parseAsync(process.argv);
