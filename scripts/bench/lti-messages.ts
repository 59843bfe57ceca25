/** What scripts/bench/lti.ts and its launch driver (lti-driver.ts, a child process) say to each other. */
import type { ToolInput } from '../../conformance/lti/emulator/state/tool-registry.js';

/** How the driver checks a tool's pages: EdHub and ltijs each end a launch differently; the stub checks nothing. */
export type ToolKind = 'edhub' | 'ltijs' | 'stub';

/** The requests of one launch, in order. `auth` is the emulator's, the others the tool's. */
export const STEP_NAMES = ['login', 'auth', 'launch', 'landing'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface RunRequest {
  clientId: string;
  kind: ToolKind;
  launches: number;
  concurrency: number;
  /** lean: LeanBrowser (node:http); user-agent: the conformance suite's UserAgent (fetch). */
  client: 'lean' | 'user-agent';
}

/** One round, as measured by the driver. Latencies are in ms, one entry per successful launch. */
export interface RoundResult {
  clientId: string;
  kind: ToolKind;
  ok: number;
  errors: number;
  /** The first few failure reasons, as they happened. */
  reasons: string[];
  seconds: number;
  steps: Record<StepName, number[]>;
  /** login start → landing (or launch) end, as the browser sees it. */
  total: number[];
  /** The browser's own time between its requests (reading forms, cookies): total − Σ steps. */
  gaps: number[];
  /** The driver process during the round: main-thread event loop utilisation, and CPU (all threads) in % of one core. */
  driver: { elu: number; cpuPercent: number };
}

export type ToDriver =
  | { type: 'register'; tool: ToolInput }
  /** Prepare a round's launches in the emulator (untimed); the next `run` makes them. */
  | { type: 'prepare'; run: RunRequest }
  | { type: 'run' }
  | { type: 'close' };

export type FromDriver =
  | { type: 'ready'; issuer: string; authorization: string; token: string; jwks: string }
  | { type: 'registered'; clientId: string; deploymentId: string }
  | { type: 'prepared'; launches: number }
  | { type: 'result'; result: RoundResult }
  | { type: 'failed'; message: string };
