import { addStats, type CommitStats, emptyStats } from '../../core/commit-stats.ts';
import type { JournalEntry } from '../../core/journal.ts';
import { quantile } from '../bucket-counts.ts';
import { ConflictTally, ESCAPED, RESOLUTIONS } from '../conflict-tally.ts';
import { ATTEMPT_BUCKETS, DURATION_BUCKETS } from '../metric-catalog.ts';
import { summarize } from '../summarize.ts';
import { DASHBOARD_FORMAT, DASHBOARD_VERSION, type DashboardDocument, type SeriesPoint } from './dashboard-schema.ts';

export interface DashboardInput {
  /** Backend label for the exposition (`sqlite`, `postgres`, …). */
  readonly backend: string;
  readonly journal: readonly JournalEntry[];
  readonly stats: readonly CommitStats[];
  /** Only data at or after this time (ms since the epoch). */
  readonly since?: number;
  /** When the document is generated (ms since the epoch). */
  readonly now: number;
  /** How many hot anchors and types to list. */
  readonly topK?: number;
}

const SECOND = 1000;
const BUCKET_WIDTHS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400].map(
  (s) => s * SECOND,
);
/** Few enough points for a chart to stay legible, enough to show a trend. */
const MAX_POINTS = 120;

/** The narrowest bucket that covers `spanMs` in at most MAX_POINTS buckets. */
export function bucketWidthFor(spanMs: number): number {
  return BUCKET_WIDTHS.find((w) => spanMs / w <= MAX_POINTS) ?? (BUCKET_WIDTHS.at(-1) as number);
}

interface Bucket {
  stats: CommitStats;
  conflicts: number;
  escaped: number;
  resolutions: Record<string, number>;
}

function seriesPoint(start: number, b: Bucket): SeriesPoint {
  const attempts = Object.values(b.stats.attempts).reduce((x, y) => x + y, 0);
  const commits = Object.values(b.stats.commits).reduce((x, y) => x + y, 0);
  return {
    start,
    commits,
    casAttempts: attempts,
    conflictAttempts: b.stats.attempts.conflict,
    conflicts: b.conflicts,
    escaped: b.escaped,
    resolutions: Object.fromEntries(RESOLUTIONS.map((r) => [r, b.resolutions[r] ?? 0])) as SeriesPoint['resolutions'],
    conflictRatio: attempts > 0 ? b.stats.attempts.conflict / attempts : null,
    backoffShare: b.stats.durationMs > 0 ? b.stats.backoffMs / b.stats.durationMs : null,
    p99Attempts: quantile(ATTEMPT_BUCKETS, b.stats.attemptsHist, 0.99),
    p99LatencySeconds: quantile(DURATION_BUCKETS, b.stats.durationHist, 0.99),
  };
}

/**
 * The dashboard document from a conflict journal and commit-stats rows (pure). Series run from
 * the first data at or after `since` to the last, in buckets sized to the span.
 */
export function buildDashboard(input: DashboardInput): DashboardDocument {
  const since = input.since ?? 0;
  const journal = input.journal.filter((e) => e.at >= since);
  const rows = input.stats.filter((s) => s.start >= since);
  // A loop, not Math.min(...times): a journal can hold more entries than a call has arguments.
  let first: number | null = null;
  let last: number | null = null;
  for (const t of [...journal.map((e) => e.at), ...rows.flatMap((s) => [s.start, s.end])]) {
    if (first === null || t < first) first = t;
    if (last === null || t > last) last = t;
  }

  // The series spans the data found: a quiet stretch after `since` would only squeeze the charts.
  const from = first ?? input.since ?? input.now;
  const bucketMs = bucketWidthFor((last ?? from) - from);
  const origin = Math.floor(from / bucketMs) * bucketMs;
  const buckets: Bucket[] = [];
  const bucketAt = (t: number): Bucket => {
    const i = Math.max(0, Math.floor((t - origin) / bucketMs));
    for (let j = buckets.length; j <= i; j++) {
      const start = origin + j * bucketMs;
      buckets.push({ stats: emptyStats('*', input.backend, start), conflicts: 0, escaped: 0, resolutions: {} });
    }
    return buckets[i] as Bucket;
  };

  const tally = new ConflictTally(Math.max(1, journal.length));
  const writers = new Set<string>();
  for (const e of journal) {
    tally.add(e);
    writers.add(e.writer);
    for (const w of e.writers) writers.add(w);
    const b = bucketAt(e.at);
    b.conflicts++;
    if (ESCAPED.has(e.resolution)) b.escaped++;
    b.resolutions[e.resolution] = (b.resolutions[e.resolution] ?? 0) + 1;
  }
  let total = emptyStats('*', input.backend, from);
  for (const s of rows) {
    writers.add(s.writer);
    total = addStats(total, s);
    const b = bucketAt(s.start);
    b.stats = addStats(b.stats, s);
  }

  return {
    format: DASHBOARD_FORMAT,
    version: DASHBOARD_VERSION,
    generatedAt: new Date(input.now).toISOString(),
    range: { since: input.since ?? null, first, last },
    bucketMs,
    writers: writers.size,
    ...summarize(input.backend, tally, total, input.topK ?? 20),
    series: buckets.map((b, i) => seriesPoint(origin + i * bucketMs, b)),
  };
}
