/** The LTI launch benchmark's figures: per-tool summaries over its rounds, the table, and the targets (issue text). */
import { percentile } from './harness.js';
import { type RoundResult, STEP_NAMES, type StepName } from './lti-messages.js';

/** Issue targets: EdHub ≥ 3× ltijs's launches/s; EdHub p99 ≤ 50 ms for each of its own steps. */
export const TARGET_RATIO = 3;
export const TARGET_STEP_P99_MS = 50;
/** The steps a tool answers; `auth` is the emulator's and is reported, never judged. */
const TOOL_STEPS: readonly StepName[] = ['login', 'launch', 'landing'];

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ToolSummary {
  name: string;
  ok: number;
  errors: number;
  reasons: string[];
  seconds: number;
  launchesPerSecond: number;
  perRound: number[];
  steps: Partial<Record<StepName, Latency>>;
  total: Latency;
  gaps: Latency;
}

export function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p);
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

export const rate = (r: RoundResult) => (r.seconds > 0 ? r.ok / r.seconds : 0);

/** Pools the rounds of one tool: launches/s is all its launches over all its measured time. */
export function summarize(name: string, rounds: RoundResult[]): ToolSummary {
  const pool = (pick: (r: RoundResult) => number[]) => latency(rounds.flatMap(pick));
  const steps: Partial<Record<StepName, Latency>> = {};
  for (const step of STEP_NAMES) {
    const samples = rounds.flatMap((r) => r.steps[step]);
    if (samples.length > 0) steps[step] = latency(samples);
  }
  const ok = rounds.reduce((s, r) => s + r.ok, 0);
  const seconds = rounds.reduce((s, r) => s + r.seconds, 0);
  return {
    name,
    ok,
    errors: rounds.reduce((s, r) => s + r.errors, 0),
    reasons: rounds.flatMap((r) => r.reasons).slice(0, 5),
    seconds,
    launchesPerSecond: seconds > 0 ? ok / seconds : 0,
    perRound: rounds.map(rate),
    steps,
    total: pool((r) => r.total),
    gaps: pool((r) => r.gaps),
  };
}

const ms = (v: number) => v.toFixed(1).padStart(7);
const row = (label: string, l: Latency) => `  ${label.padEnd(26)} ${ms(l.p50)} ${ms(l.p95)} ${ms(l.p99)} ${ms(l.max)}`;

export function toolTable(s: ToolSummary): string[] {
  const lines = [
    `${s.name}: ${s.launchesPerSecond.toFixed(1)} launches/s (${s.ok} launches in ${s.seconds.toFixed(1)} s; per round ${s.perRound.map((r) => r.toFixed(1)).join(', ')}), errors ${s.errors}`,
    `  ${'ms'.padEnd(26)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}`,
    row('whole launch', s.total),
  ];
  for (const step of STEP_NAMES) {
    const l = s.steps[step];
    if (l) lines.push(row(step === 'auth' ? 'auth (the emulator)' : step, l));
  }
  lines.push(row('browser between requests', s.gaps));
  for (const reason of s.reasons) lines.push(`  error: ${reason}`);
  return lines;
}

/** CPU ms per launch of a tool's process and of the PostgreSQL backends of its database (undefined: not measurable). */
export interface CpuPerLaunch {
  process: number | undefined;
  database: number | undefined;
}

export function cpuLine(name: string, cpu: CpuPerLaunch, databaseNote: string): string {
  const f = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(1)} ms`);
  const sum = cpu.process === undefined ? undefined : cpu.process + (cpu.database ?? 0);
  return `  ${name.padEnd(6)} process ${f(cpu.process)} + PostgreSQL backends ${f(cpu.database)} = ${f(sum)}${databaseNote}`;
}

const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');

export function targetLines(edhub: ToolSummary, ltijs: ToolSummary): string[] {
  const ratio = ltijs.launchesPerSecond > 0 ? edhub.launchesPerSecond / ltijs.launchesPerSecond : Number.NaN;
  const perRound = edhub.perRound.map((e, i) => (e / (ltijs.perRound[i] ?? Number.NaN)).toFixed(2));
  const lines = [
    `ratio EdHub ÷ ltijs launches/s: ${ratio.toFixed(2)} (round by round ${perRound.join(', ')})  target ≥ ${TARGET_RATIO}: ${verdict(ratio >= TARGET_RATIO)}`,
  ];
  for (const step of TOOL_STEPS) {
    const l = edhub.steps[step];
    if (l)
      lines.push(`EdHub p99 ${step.padEnd(8)} ${l.p99.toFixed(1).padStart(6)} ms  target ≤ ${TARGET_STEP_P99_MS} ms: ${verdict(l.p99 <= TARGET_STEP_P99_MS)}`);
  }
  const auth = edhub.steps.auth;
  if (auth) lines.push(`(auth, the emulator's step in EdHub's launches: p99 ${auth.p99.toFixed(1)} ms — reported, not EdHub's number)`);
  return lines;
}
