import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Distinct statements one connection keeps prepared; beyond it, statements run unnamed (planned each time). */
export const MAX_PREPARED_PER_CONNECTION = 500;

/**
 * Kysely's pool, with every parameterised statement sent as a named prepared statement (its name a
 * hash of its text), so PostgreSQL plans it once per connection instead of at every execution. The
 * roster store's many partial and expression indexes and statistics made planning cost more than
 * running: 3–7 ms to plan a OneRoster page, roles or profiles query that ran in 0.4–1.6 ms. After
 * five executions PostgreSQL may keep a generic plan, which it does only when that plan is estimated
 * no worse than the custom ones (plan_cache_mode auto). Statements without parameters — migrations,
 * multi-statement scripts, DDL — keep the simple protocol. Each connection prepares at most
 * MAX_PREPARED_PER_CONNECTION statements, so memory stays bounded whatever filters clients send.
 */
export function preparingPool(pool: pg.Pool, maxPerConnection = MAX_PREPARED_PER_CONNECTION): PostgresPool {
  const prepared = new WeakMap<pg.PoolClient, Set<string>>();
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let names = prepared.get(client);
      if (!names) {
        names = new Set();
        prepared.set(client, names);
      }
      const known = names;
      return {
        // biome-ignore lint/suspicious/noExplicitAny: Kysely's overloads (text or a cursor) pass straight through.
        query: ((sqlOrCursor: any, parameters?: ReadonlyArray<unknown>) => {
          if (typeof sqlOrCursor !== 'string' || !parameters || parameters.length === 0) {
            return parameters ? client.query(sqlOrCursor, parameters as unknown[]) : client.query(sqlOrCursor);
          }
          const name = `eh_${createHash('sha1').update(sqlOrCursor).digest('base64url').slice(0, 20)}`;
          if (!known.has(name)) {
            if (known.size >= maxPerConnection) return client.query(sqlOrCursor, parameters as unknown[]);
            known.add(name);
          }
          return client.query({ name, text: sqlOrCursor, values: parameters as unknown[] });
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}
