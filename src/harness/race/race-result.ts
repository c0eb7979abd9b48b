import type { CheckCounts } from '../history/check-report.ts';
import type { RaceMode, WorkerStats } from './race-options.ts';

/** One mode's figures, as `--json` prints them. */
export interface RaceResult extends Omit<CheckCounts, 'anomalies'> {
  readonly mode: RaceMode;
  readonly procs: number;
  /** Sessions of the workload run, across all processes (`--sessions`), after the opening ones. */
  readonly sessions: number;
  /** Opening sessions run before them: each process's `me` per user (procs × users), all at once. */
  readonly openingSessions: number;
  /** Acknowledged operations (history lines). */
  readonly acknowledged: number;
  /** Conflicts anchorage met and resolved or reported (observer `onConflict`). */
  readonly conflicts: number;
  /** Retried write attempts (observer `onRetry`). */
  readonly retries: number;
  /** Transaction runs replayed after a conflict a merge could not resolve (counted by the harness). */
  readonly replays: number;
  /** Operations that gave up with `retries_exhausted` (nothing of them written). */
  readonly exhausted: number;
  /** Operations refused with a conflict (nothing of them written), by code. */
  readonly refused: Readonly<Record<string, number>>;
  /** Unexpected failures. */
  readonly errors: number;
  readonly commitLatencyMs: { readonly p50: number; readonly p99: number };
  readonly durationMs: number;
  /** Sum of lost, zombies, dangling, duplicates, counterDrift and versionChains. */
  readonly anomalies: number;
}

/** The q-quantile (0..1) of a list of numbers, nearest rank; 0 for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Adds up the workers' reports and the checker's counts into one mode's result. */
export function summarize(mode: RaceMode, workers: readonly WorkerStats[], counts: CheckCounts, durationMs: number): RaceResult {
  const sum = (f: (w: WorkerStats) => number) => workers.reduce((n, w) => n + f(w), 0);
  const refused: Record<string, number> = {};
  for (const w of workers) for (const [code, n] of Object.entries(w.refused)) refused[code] = (refused[code] ?? 0) + n;
  const latencies = workers.flatMap((w) => w.latenciesMs);
  return {
    mode,
    procs: workers.length,
    sessions: sum((w) => w.operations - w.opening),
    openingSessions: sum((w) => w.opening),
    acknowledged: sum((w) => w.acknowledged),
    ...counts,
    conflicts: sum((w) => w.conflicts),
    retries: sum((w) => w.retries),
    replays: sum((w) => w.replays),
    exhausted: refused.retries_exhausted ?? 0,
    refused,
    errors: sum((w) => w.errors.length),
    commitLatencyMs: { p50: round(quantile(latencies, 0.5)), p99: round(quantile(latencies, 0.99)) },
    durationMs: Math.round(durationMs),
  };
}

/**
 * The exit code of `anchorage race`: 1 when the anchorage mode ran and shows any anomaly or
 * unexpected error, else 0. The naive mode's anomalies are the point of it and never fail a run.
 */
export function raceExitCode(results: readonly RaceResult[]): 0 | 1 {
  return results.some((r) => r.mode === 'anchorage' && (r.anomalies > 0 || r.errors > 0)) ? 1 : 0;
}
