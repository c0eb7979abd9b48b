import type { CheckCounts } from '../history/check-report.ts';
import type { TortureCheck } from './check-torture.ts';

/** A crash campaign's figures, as `--json` prints them. */
export interface TortureResult extends Omit<CheckCounts, 'anomalies'> {
  readonly procs: number;
  readonly seed: number;
  /** SIGKILLs sent. */
  readonly kills: number;
  /** Kills that landed inside a commit: after its writes, before COMMIT had returned. */
  readonly killsInCommit: number;
  /** Worker processes started again after dying. */
  readonly restarts: number;
  /** Commits acknowledged (each with its intent recorded before it). */
  readonly acknowledged: number;
  /** Commits that failed with a conflict, nothing of them written. */
  readonly refused: number;
  readonly cutOff: number;
  readonly cutOffPresent: number;
  readonly cutOffAbsent: number;
  /** Cut-off counter increments: one row each, checked in aggregate against the counters. */
  readonly cutOffCounters: number;
  /** Cut-off commits partly stored. */
  readonly partial: number;
  readonly acknowledgedIncomplete: number;
  readonly refusedApplied: number;
  /** `anchorage check` findings other than orphans. */
  readonly findings: number;
  readonly orphans: number;
  /** `PRAGMA integrity_check`. */
  readonly integrity: string;
  readonly torn: number;
  /** Errors workers reported (not conflicts) and workers that died unkilled. */
  readonly errors: number;
  readonly errorMessages: readonly string[];
  readonly anomalies: number;
  readonly durationMs: number;
}

export interface CampaignFigures {
  readonly procs: number;
  readonly seed: number;
  readonly kills: number;
  readonly killsInCommit: number;
  readonly restarts: number;
  readonly errors: readonly string[];
  readonly durationMs: number;
}

export function summarizeTorture(run: CampaignFigures, check: TortureCheck): TortureResult {
  const { anomalies: _, ...history } = check.history;
  const { partial, acknowledgedIncomplete, refusedApplied, unacknowledged: __, ...commits } = check.commits;
  return {
    procs: run.procs,
    seed: run.seed,
    kills: run.kills,
    killsInCommit: run.killsInCommit,
    restarts: run.restarts,
    ...commits,
    partial: partial.length,
    acknowledgedIncomplete: acknowledgedIncomplete.length,
    refusedApplied: refusedApplied.length,
    ...history,
    findings: check.findings.length,
    orphans: check.orphans,
    integrity: check.integrity,
    torn: check.torn,
    errors: run.errors.length,
    errorMessages: run.errors.slice(0, 5),
    anomalies: check.anomalies,
    durationMs: Math.round(run.durationMs),
  };
}
