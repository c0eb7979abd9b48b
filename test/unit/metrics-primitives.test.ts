import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationSchema } from '../../src/cli/duration.ts';
import { emptyStats } from '../../src/core/commit-stats.ts';
import { exhaustedEntries, type JournalEntry } from '../../src/core/journal.ts';
import { bucketIndex, cumulative, quantile } from '../../src/metrics/bucket-counts.ts';
import { HotAnchors } from '../../src/metrics/hot-anchors.ts';
import { StatsAccumulator } from '../../src/metrics/stats-accumulator.ts';
import { decodeStats, encodeStats } from '../../src/storage/stats-record.ts';

describe('histogram buckets', () => {
  const bounds = [1, 2, 5];

  it('puts a value in the first bucket whose bound is at or above it', () => {
    expect([0.5, 1, 1.5, 5, 6].map((v) => bucketIndex(bounds, v))).toEqual([0, 0, 1, 2, 3]);
  });

  it('reports a quantile as the bound of the bucket holding it, never below the true value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (values, q) => {
          const counts: Record<string, number> = {};
          for (const v of values) {
            const le = ['1', '2', '5', '+Inf'][bucketIndex(bounds, v)] as string;
            counts[le] = (counts[le] ?? 0) + 1;
          }
          const sorted = [...values].sort((a, b) => a - b);
          const truth = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
          expect(quantile(bounds, counts, q)).toBeGreaterThanOrEqual(truth);
          expect(cumulative(bounds, counts).at(-1)?.count).toBe(values.length);
        },
      ),
    );
  });

  it('has no quantile without observations', () => {
    expect(quantile(bounds, {}, 0.99)).toBeNull();
  });
});

describe('hot anchors (bounded top-K)', () => {
  it('is exact while the anchors fit, and lists the heaviest first', () => {
    const hot = new HotAnchors(4);
    for (const [id, n] of [
      ['a', 5],
      ['b', 2],
      ['c', 9],
    ] as const)
      for (let i = 0; i < n; i++) hot.add(id, 'T', 'field');
    expect(hot.top(2)).toEqual([
      { anchorId: 'c', type: 'T', count: 9, error: 0, kinds: { edge: 0, field: 9, delete: 0 } },
      { anchorId: 'a', type: 'T', count: 5, error: 0, kinds: { edge: 0, field: 5, delete: 0 } },
    ]);
  });

  it('keeps every anchor heavier than total/capacity, with bounded memory', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 400 }), (stream) => {
        const capacity = 8;
        const hot = new HotAnchors(capacity);
        const truth = new Map<number, number>();
        for (const id of stream) {
          hot.add(`n${id}`, 'T', 'edge');
          truth.set(id, (truth.get(id) ?? 0) + 1);
        }
        const top = hot.top(1000);
        expect(top.length).toBeLessThanOrEqual(capacity);
        for (const [id, n] of truth) {
          const listed = top.find((a) => a.anchorId === `n${id}`);
          if (n > stream.length / capacity) expect(listed).toBeDefined();
          if (listed) expect(listed.count - listed.error).toBeLessThanOrEqual(n);
          if (listed) expect(listed.count).toBeGreaterThanOrEqual(n);
        }
      }),
    );
  });
});

describe('stats rows', () => {
  it('accumulate events and start over when taken', () => {
    const acc = new StatsAccumulator();
    expect(acc.empty).toBe(true);
    acc.attempt({ backend: 'm', attempt: 1, outcome: 'busy', durationMs: 12 });
    acc.attempt({ backend: 'm', attempt: 2, outcome: 'committed', durationMs: 1 });
    acc.commit({ backend: 'm', outcome: 'committed', attempts: 2, durationMs: 20, backoffMs: 3, lockWaitMs: 5, rows: 1 });
    const row = acc.take('w', 'm', 0, 1000);
    expect(row).toMatchObject({
      commits: { committed: 1 },
      attempts: { busy: 1, committed: 1 },
      busyWaitMs: 17, // the busy attempt, and the wait before the one that got the lock
      backoffMs: 3,
      durationHist: { '0.025': 1 },
      attemptsHist: { '2': 1 },
    });
    expect(acc.empty).toBe(true);
    expect(acc.take('w', 'm', 1000, 2000)).toEqual(emptyStats('w', 'm', 1000, 2000));
  });

  it('round-trip through their stored form, and a malformed one is a storage error', () => {
    const row = { ...emptyStats('w', 'sqlite', 5, 9), backoffMs: 2, durationHist: { '+Inf': 1 } };
    expect(decodeStats(encodeStats(row))).toEqual(row);
    expect(() => decodeStats({ ...encodeStats(row), data: '{"backend":"sqlite"}' })).toThrow(
      expect.objectContaining({ code: 'storage' }),
    );
    expect(() => decodeStats({ ...encodeStats(row), data: 'nope' })).toThrow(expect.objectContaining({ code: 'storage' }));
  });
});

describe('exhausted journal entries', () => {
  it('are one per anchor and kind, with every field, edge and writer of the abandoned rebases', () => {
    const e = (anchorId: string, fields: string[], writers: string[], edges: string[] = []): JournalEntry => ({
      commitId: 'c',
      at: 1,
      writer: 'me',
      anchorId,
      type: 'T',
      kind: 'field',
      resolution: 'lww',
      fields,
      edges,
      writers,
    });
    expect(exhaustedEntries([e('a', ['x'], ['w2'], ['e1']), e('a', ['y'], ['w1'], ['e2']), e('b', [], [])], 9)).toEqual([
      { ...e('a', ['x', 'y'], ['w1', 'w2'], ['e1', 'e2']), at: 9, resolution: 'exhausted' },
      { ...e('b', [], []), at: 9, resolution: 'exhausted' },
    ]);
  });
});

describe('--since durations', () => {
  it('parse units and compound durations', () => {
    expect(durationSchema.parse('500ms')).toBe(500);
    expect(durationSchema.parse('15m')).toBe(900_000);
    expect(durationSchema.parse('1h30m')).toBe(5_400_000);
    expect(durationSchema.parse('7d')).toBe(604_800_000);
    expect(durationSchema.safeParse('5x').success).toBe(false);
    expect(durationSchema.safeParse('').success).toBe(false);
  });
});
