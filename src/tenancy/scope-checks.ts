import { Problem } from '../problems.js';
import { checkScopes, type ScopeLevel } from './scopes.js';

/** Rejects scopes a credential of this level may not hold, pointing at each offending array entry. */
export function assertScopesFor(scopes: readonly string[], level: ScopeLevel): void {
  const problems = checkScopes(scopes, level);
  if (problems.length === 0) return;
  throw new Problem(
    'validation-failed',
    problems.map((p) => p.detail).join('; '),
    problems.map((p) => ({ in: 'body' as const, pointer: `/scopes/${p.index}`, detail: p.detail })),
  );
}
