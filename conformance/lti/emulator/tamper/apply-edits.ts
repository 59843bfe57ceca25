import { randomBytes } from 'node:crypto';
import { expandClaimName } from '../vocabulary.js';
import type { Edit } from './tamper-table.js';

/** What value expressions in the tamper table may refer to. */
export interface TamperEnvironment {
  nowSeconds: number;
  clientId: string;
  issuer: string;
  deploymentId: string;
  /** The nonce of the previous id_token delivered to this tool, if any. */
  previousNonce?: string;
}

/** A tamper that cannot produce its defect on this message (e.g. removing resource_link from a Deep Linking request). */
export class TamperNotApplicable extends Error {
  override readonly name = 'TamperNotApplicable';
}

/**
 * Applies set/remove edits to a JSON object in place. A removal of something absent (unless
 * `ifPresent`) or a set below a missing parent is refused, so a tamper never silently does nothing.
 */
export function applyEdits(target: Record<string, unknown>, edits: Edit[], env: TamperEnvironment, tamperId: string): void {
  for (const edit of edits) {
    const path = [expandClaimName(edit.path[0] as string), ...edit.path.slice(1)];
    const parent = walk(target, path.slice(0, -1));
    const key = path[path.length - 1] as string;
    if (!parent) throw new TamperNotApplicable(`tamper ${tamperId}: the message has no ${path.slice(0, -1).join(' › ')}`);
    if (edit.op === 'set') {
      parent[key] = evaluate(edit.value, env, tamperId);
    } else if (key in parent) {
      delete parent[key];
    } else if (!edit.ifPresent) {
      throw new TamperNotApplicable(`tamper ${tamperId}: the message has no ${path.join(' › ')} to remove`);
    }
  }
}

function walk(target: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  let at: unknown = target;
  for (const segment of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return typeof at === 'object' && at !== null ? (at as Record<string, unknown>) : undefined;
}

/** Literal JSON, or {$secondsFromNow: n}, {$launch: field}, {$random: prefix}; arrays are evaluated element-wise. */
function evaluate(value: unknown, env: TamperEnvironment, tamperId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluate(v, env, tamperId));
  if (typeof value !== 'object' || value === null) return value;
  const expr = value as Record<string, unknown>;
  if (typeof expr.$secondsFromNow === 'number') return env.nowSeconds + expr.$secondsFromNow;
  if (typeof expr.$random === 'string') return `${expr.$random}${randomBytes(8).toString('hex')}`;
  if (typeof expr.$launch === 'string') {
    const field = expr.$launch as keyof TamperEnvironment;
    const resolved = env[field];
    if (resolved === undefined) throw new TamperNotApplicable(`tamper ${tamperId}: no ${field} yet (it needs an earlier launch to the same tool)`);
    return resolved;
  }
  return value;
}
