import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A PostgreSQL database that exists for one test run: created on a server, dropped (forcefully) afterwards. */
export interface ThrowawayDatabase {
  name: string;
  host: string;
  port: number;
  user: string;
  password: string;
  drop(): Promise<void>;
}

/** `serverUrl` is any postgres:// URL on the server (its database part names where to connect for CREATE/DROP). */
export async function createThrowawayDatabase(serverUrl: string, prefix = 'edhub_ltijs_peer'): Promise<ThrowawayDatabase> {
  const url = new URL(serverUrl);
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** True when a PostgreSQL server answers at `serverUrl`. */
export async function postgresReachable(serverUrl: string): Promise<boolean> {
  try {
    await admin(serverUrl, (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

async function admin<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
