import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { EdhubConfig } from '../generated/config.js';
import { loadSchema, toSchemaErrors } from '../schemas/registry.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type { EdhubConfig };

/** A configuration that is invalid; the message lists every failed check with its source. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

interface SchemaProperty {
  type?: string;
  'x-env'?: string;
  'x-secret'?: boolean;
}

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, already typed (e.g. { port: 0 }); they win over everything. */
  overrides?: Partial<EdhubConfig>;
  /** Working directory that relative paths (dataDir, EDHUB_CONFIG) are resolved against. */
  cwd?: string;
}

const schema = loadSchema('config.schema.json');
const properties = schema.properties as Record<string, SchemaProperty>;

/**
 * Builds the one configuration object: schema defaults ← JSON file (EDHUB_CONFIG) ← environment
 * (each property's `x-env` name in schemas/config.schema.json) ← overrides; then validates it.
 */
export function loadConfig(sources: ConfigSources = {}): EdhubConfig {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const merged: Record<string, unknown> = {};

  const file = env.EDHUB_CONFIG;
  if (file) Object.assign(merged, readConfigFile(isAbsolute(file) ? file : resolve(cwd, file)));

  for (const [name, prop] of Object.entries(properties)) {
    const envName = prop['x-env'];
    const raw = envName ? env[envName] : undefined;
    if (raw === undefined || raw === '') continue;
    merged[name] = fromEnv(raw, prop.type);
  }
  Object.assign(merged, stripUndefined(sources.overrides ?? {}));

  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true, keywords: ['x-env', 'x-secret'] });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (!validate(merged)) {
    const lines = toSchemaErrors(validate.errors ?? []).map((e) => {
      const key = e.pointer.split('/')[1] ?? '';
      const envName = properties[key]?.['x-env'];
      return `  ${e.pointer || '/'}${envName ? ` (${envName})` : ''}: ${e.detail}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = merged as unknown as EdhubConfig;
  config.dataDir = resolve(cwd, config.dataDir);
  config.baseUrl = (config.baseUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
  return config;
}

/** Start-up warnings for development defaults that must not reach production. */
export function insecureDefaults(config: EdhubConfig): string[] {
  const warnings: string[] = [];
  if (!config.masterKey) {
    warnings.push(
      'EDHUB_MASTER_KEY is not set: secrets are encrypted under a master key generated into the data directory. ' +
        'Anyone who can read the data directory can decrypt them; set EDHUB_MASTER_KEY (32 random bytes, base64) in production.',
    );
  }
  const url = new URL(config.baseUrl ?? 'http://localhost');
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    warnings.push(`EDHUB_BASE_URL is plain HTTP (${config.baseUrl}): OAuth and LTI require HTTPS outside local development.`);
  } else if (url.protocol === 'http:') {
    warnings.push(`EDHUB_BASE_URL is ${config.baseUrl}: fine for local development; LTI platforms require an HTTPS URL.`);
  }
  return warnings;
}

/** The configuration with secret values masked, for logs and `edhub config show`. */
export function redactConfig(config: EdhubConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const [name, prop] of Object.entries(properties)) {
    if (!prop['x-secret'] || out[name] === undefined) continue;
    out[name] = Array.isArray(out[name]) ? (out[name] as unknown[]).map(() => '[redacted]') : '[redacted]';
  }
  if (typeof out.databaseUrl === 'string') out.databaseUrl = out.databaseUrl.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:[redacted]@');
  return out;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read EDHUB_CONFIG file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`EDHUB_CONFIG file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`EDHUB_CONFIG file ${path} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Environment values are strings; the schema's declared type says how to read them. Bad values are left for the validator to name. */
function fromEnv(raw: string, type: string | undefined): unknown {
  switch (type) {
    case 'integer':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    case 'array':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
