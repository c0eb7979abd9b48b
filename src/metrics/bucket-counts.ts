import type { BucketCounts } from '../core/commit-stats.ts';

/** The `le` label of each bucket, as Prometheus prints it: the bounds, then `+Inf`. */
export function bucketLabels(bounds: readonly number[]): string[] {
  return [...bounds.map(String), '+Inf'];
}

/** Index of the bucket holding `value`: the first bound at or above it, else the `+Inf` bucket. */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > (bounds[i] as number)) i++;
  return i;
}

/** Per-bucket counts (one per bound, then `+Inf`) as a stored histogram, zero buckets left out. */
export function toBucketCounts(bounds: readonly number[], counts: readonly number[]): BucketCounts {
  const labels = bucketLabels(bounds);
  const out: Record<string, number> = {};
  counts.forEach((n, i) => {
    if (n > 0) out[labels[i] as string] = n;
  });
  return out;
}

/** Cumulative counts per `le`, as a Prometheus histogram exposes them (`+Inf` is the total). */
export function cumulative(bounds: readonly number[], counts: BucketCounts): Array<{ le: string; count: number }> {
  let running = 0;
  return bucketLabels(bounds).map((le) => {
    running += counts[le] ?? 0;
    return { le, count: running };
  });
}

/**
 * The q-quantile as the upper bound of the bucket that holds it (conservative: the true value is
 * at most this). A quantile in the `+Inf` bucket reports the largest bound. Null when empty.
 */
export function quantile(bounds: readonly number[], counts: BucketCounts, q: number): number | null {
  const buckets = cumulative(bounds, counts);
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  const i = buckets.findIndex((b) => b.count >= rank);
  return bounds[Math.min(i, bounds.length - 1)] ?? null;
}
