import type { BucketCounts, CommitStats } from '../core/commit-stats.ts';
import { cumulative, quantile } from './bucket-counts.ts';
import { type ConflictTally, ESCAPED, KINDS, OTHER, RESOLUTIONS } from './conflict-tally.ts';
import type { DashboardTotals, MetricsSummary } from './dashboard/dashboard-schema.ts';
import { ATTEMPT_BUCKETS, DURATION_BUCKETS } from './metric-catalog.ts';

/** Writers shown in the pair matrix; the rest fold into `(other)` so the matrix stays readable. */
const MATRIX_WRITERS = 12;

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const sum = (o: Readonly<Record<string, number>>): number => Object.values(o).reduce((a, b) => a + b, 0);

function percentiles(bounds: readonly number[], counts: BucketCounts) {
  return {
    count: sum(counts),
    p50: quantile(bounds, counts, 0.5),
    p90: quantile(bounds, counts, 0.9),
    p99: quantile(bounds, counts, 0.99),
  };
}

export function totalsOf(tally: ConflictTally, stats: CommitStats): DashboardTotals {
  const commitSeconds = stats.durationMs / 1000;
  const retryBackoffSeconds = stats.backoffMs / 1000;
  const attempts = sum(stats.attempts);
  const byResolution = Object.fromEntries(RESOLUTIONS.map((r) => [r, tally.count(undefined, r)]));
  return {
    commits: { ...stats.commits, total: sum(stats.commits) },
    casAttempts: { ...stats.attempts, total: attempts },
    retries: { ...stats.retries },
    conflicts: {
      total: tally.total,
      escaped: RESOLUTIONS.filter((r) => ESCAPED.has(r)).reduce((n, r) => n + tally.count(undefined, r), 0),
      byKind: {
        edge: tally.count('edge', undefined),
        field: tally.count('field', undefined),
        delete: tally.count('delete', undefined),
      },
      byResolution: byResolution as DashboardTotals['conflicts']['byResolution'],
    },
    conflictRatio: ratio(stats.attempts.conflict, attempts),
    retryBackoffSeconds,
    busyWaitSeconds: stats.busyWaitMs / 1000,
    commitSeconds,
    backoffShare: ratio(retryBackoffSeconds, commitSeconds),
  };
}

function writerMatrix(byPair: ReadonlyMap<string, number>): MetricsSummary['writerPairs'] {
  const involvement = new Map<string, number>();
  const pairs = [...byPair].map(([key, n]) => {
    const [writer = OTHER, raced = OTHER] = key.split('\u0000');
    for (const w of [writer, raced]) involvement.set(w, (involvement.get(w) ?? 0) + n);
    return { writer, raced, n };
  });
  const ranked = [...involvement].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const shown = ranked.length > MATRIX_WRITERS ? [...ranked.slice(0, MATRIX_WRITERS - 1), OTHER] : ranked;
  const index = (w: string) => {
    const i = shown.indexOf(w);
    return i >= 0 ? i : shown.length - 1;
  };
  const counts = shown.map(() => shown.map(() => 0));
  for (const p of pairs) {
    const row = counts[index(p.writer)] as number[];
    const j = index(p.raced);
    row[j] = (row[j] ?? 0) + p.n;
  }
  return { writers: shown, counts };
}

/** The shared part of a snapshot and an exported document, from conflicts and commit counts. */
export function summarize(backend: string, tally: ConflictTally, stats: CommitStats, topK: number): MetricsSummary {
  return {
    backend,
    totals: totalsOf(tally, stats),
    resolutionBreakdown: KINDS.flatMap((kind) =>
      RESOLUTIONS.map((resolution) => ({ kind, resolution, count: tally.count(kind, resolution) })),
    ).filter((r) => r.count > 0),
    hotAnchors: tally.hot.top(topK),
    hotTypes: [...tally.byType]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, topK)
      .map(([type, count]) => ({ type, count })),
    writerPairs: writerMatrix(tally.byPair),
    commitLatencySeconds: percentiles(DURATION_BUCKETS, stats.durationHist),
    commitAttempts: percentiles(ATTEMPT_BUCKETS, stats.attemptsHist),
    histograms: {
      commitDurationSeconds: {
        buckets: cumulative(DURATION_BUCKETS, stats.durationHist),
        sum: stats.durationMs / 1000,
        count: sum(stats.durationHist),
      },
      commitAttempts: {
        buckets: cumulative(ATTEMPT_BUCKETS, stats.attemptsHist),
        sum: sum(stats.attempts),
        count: sum(stats.attemptsHist),
      },
    },
  };
}
