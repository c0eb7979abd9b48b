import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasCode, openRepository, type RetryEvent, StorageError } from '../../src/index.ts';
import { DEFAULT_RETRY, fullJitter, type RetryConfig, withRetries } from '../../src/repository/retry-policy.ts';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import type { StoragePort } from '../../src/storage/storage-port.ts';
import { withApply } from '../support/fault-storage.ts';
import { storedState } from '../support/stored-state.ts';

/** The documented bound of the backoff before retry n: min(maxDelayMs, minDelayMs · 2^(n-1)). */
const cap = (config: RetryConfig, n: number) => Math.min(config.maxDelayMs, config.minDelayMs * 2 ** (n - 1));

const busy = () => new StorageError('injected: database is busy', { retryable: true });

/** A port over `inner` whose every write attempt fails busy; `calls` counts the attempts. */
function alwaysBusy(inner: StoragePort) {
  const counter = { calls: 0 };
  const storage = withApply(inner, async () => {
    counter.calls++;
    throw busy();
  });
  return { storage, counter };
}

describe('full-jitter backoff', () => {
  it('stays within [0, min(maxDelayMs, minDelayMs · 2^(n-1))] for every attempt n', () => {
    const config = fc.record({
      retries: fc.constant(30),
      minDelayMs: fc.double({ min: 0, max: 1000, noNaN: true }),
      maxDelayMs: fc.double({ min: 0, max: 60_000, noNaN: true }),
      maxRetryTimeMs: fc.constant(20_000),
    });
    // random() is in [0, 1): its extremes included.
    const random = fc.oneof(
      fc.constant(0),
      fc.constant(1 - Number.EPSILON),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    );
    fc.assert(
      fc.property(config, fc.integer({ min: 1, max: 60 }), random, (c, n, r) => {
        const delay = fullJitter(c, n, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(cap(c, n));
        // Full jitter: the whole range is used, not a fixed floor. (Past attempt 31 the exponent
        // stays at 30, which only lowers the bound, and only for a minDelayMs below 60000 / 2^30.)
        if (n <= 31) expect(delay).toBeCloseTo(r * cap(c, n), 6);
      }),
      { numRuns: 500 },
    );
  });

  it('lets the upper bound double with each attempt until maxDelayMs', () => {
    const config: RetryConfig = { retries: 10, minDelayMs: 3, maxDelayMs: 100, maxRetryTimeMs: 1000 };
    const top = () => 1 - Number.EPSILON;
    const bounds = Array.from({ length: 8 }, (_, i) => Math.round(fullJitter(config, i + 1, top)));
    expect(bounds).toEqual([3, 6, 12, 24, 48, 96, 100, 100]);
    // With Math.random, the mean delay of late attempts is well above that of early ones.
    const mean = (n: number) => {
      let sum = 0;
      for (let i = 0; i < 2000; i++) sum += fullJitter(config, n, Math.random);
      return sum / 2000;
    };
    expect(mean(1)).toBeLessThan(3);
    expect(mean(4)).toBeGreaterThan(6);
    expect(mean(4)).toBeLessThan(24);
    expect(mean(7)).toBeGreaterThan(30);
  });

  it('waits, between the attempts withRetries runs, the injected fraction of a bound that doubles', async () => {
    const config: RetryConfig = { retries: 6, minDelayMs: 1, maxDelayMs: 8, maxRetryTimeMs: 10_000 };
    const delays: Array<[number, number]> = [];
    const attempts: number[] = [];
    const err = await withRetries(
      config,
      { random: () => 0.5, retryable: () => true, onRetry: (_e, n, ms) => delays.push([n, ms]) },
      async (n) => {
        attempts.push(n);
        throw busy();
      },
    ).catch((e: unknown) => e);
    expect(hasCode(err, 'storage')).toBe(true);
    expect(attempts).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(delays).toEqual([
      [1, 0.5],
      [2, 1],
      [3, 2],
      [4, 4],
      [5, 4],
      [6, 4],
    ]);
  });

  it('reports through onRetry, from a real commit, delays within the bound of their attempt', async () => {
    const store = new MemoryStorage();
    let busyLeft = 6;
    const flaky = withApply(store, async (ws, rebase) => {
      if (busyLeft-- > 0) throw busy();
      return store.apply(ws, rebase);
    });
    const retries: RetryEvent[] = [];
    const retry = { retries: 10, minDelayMs: 1, maxDelayMs: 6, maxRetryTimeMs: 10_000 };
    const repo = await openRepository({
      storage: flaky,
      retry,
      metrics: false,
      observers: [{ onRetry: (e) => retries.push(e) }],
    });
    const s = repo.session();
    s.create('Doc', {});
    await s.commit();
    expect(retries.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const e of retries) {
      expect(e.reason).toBe('busy');
      expect(e.delayMs).toBeGreaterThanOrEqual(0);
      expect(e.delayMs).toBeLessThanOrEqual(cap({ ...DEFAULT_RETRY, ...retry }, e.attempt));
    }
    await repo.close();
  });
});

describe('retry budget', () => {
  it('ends an always-busy commit in retries_exhausted once maxRetryTimeMs is spent, long before the count runs out', async () => {
    const store = new MemoryStorage();
    const { storage, counter } = alwaysBusy(store);
    // 1000 retries of up to 20 ms would take many seconds; the budget is 200 ms.
    const retry = { retries: 1000, minDelayMs: 5, maxDelayMs: 20, maxRetryTimeMs: 200 };
    const commits: Array<{ outcome: string; attempts: number }> = [];
    const repo = await openRepository({ storage, retry, metrics: false, observers: [{ onCommit: (e) => commits.push(e) }] });
    const s = repo.session({ root: 'u' });
    const root = await s.root();
    const before = await storedState(store);
    const doc = s.create('Doc', { n: 1 });
    s.connect(root, doc);
    const err = await s.commit().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'retries_exhausted', context: { attempts: counter.calls } });
    expect(counter.calls).toBeGreaterThan(1);
    expect(counter.calls).toBeLessThan(100);
    expect(commits).toEqual([expect.objectContaining({ outcome: 'exhausted', attempts: counter.calls })]);
    expect(await storedState(store)).toBe(before);
    expect(await repo.session().get(doc.id)).toBeUndefined();
    await repo.close();
  });

  it('with a budget of 0, makes one attempt and no retry', async () => {
    const { storage, counter } = alwaysBusy(new MemoryStorage());
    const repo = await openRepository({
      storage,
      retry: { retries: 1000, minDelayMs: 0, maxDelayMs: 1, maxRetryTimeMs: 0 },
      metrics: false,
    });
    const s = repo.session();
    s.create('Doc', {});
    await expect(s.commit()).rejects.toMatchObject({ code: 'retries_exhausted', context: { attempts: 1 } });
    expect(counter.calls).toBe(1);
    await repo.close();
  });

  it('stops withRetries at the time budget with the last error', async () => {
    const config: RetryConfig = { retries: 1000, minDelayMs: 5, maxDelayMs: 20, maxRetryTimeMs: 150 };
    let calls = 0;
    const last = await withRetries(config, { random: Math.random, retryable: () => true }, async (n) => {
      calls = n;
      throw new StorageError(`busy ${n}`, { retryable: true });
    }).catch((e: unknown) => e);
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThan(100);
    expect((last as Error).message).toBe(`busy ${calls}`);
  });
});

describe('errors that a retry cannot fix', () => {
  it('are not retried: a non-retryable StorageError fails the commit after one attempt, as itself', async () => {
    const store = new MemoryStorage();
    let calls = 0;
    const broken = withApply(store, async () => {
      calls++;
      throw new StorageError('injected: disk I/O error', { retryable: false });
    });
    const retried: RetryEvent[] = [];
    const repo = await openRepository({
      storage: broken,
      retry: { retries: 50, minDelayMs: 0, maxDelayMs: 0 },
      metrics: false,
      observers: [{ onRetry: (e) => retried.push(e) }],
    });
    const s = repo.session();
    s.create('Doc', {});
    await expect(s.commit()).rejects.toMatchObject({ code: 'storage', retryable: false, message: 'injected: disk I/O error' });
    expect(calls).toBe(1);
    expect(retried).toEqual([]);
    await repo.close();
  });

  it('are not retried by withRetries, whatever the budget', async () => {
    const config: RetryConfig = { retries: 50, minDelayMs: 0, maxDelayMs: 0, maxRetryTimeMs: 10_000 };
    let calls = 0;
    const plain = new Error('not retryable');
    const hooks = { random: Math.random, retryable: (e: unknown) => e !== plain };
    await expect(
      withRetries(config, hooks, async () => {
        calls++;
        throw plain;
      }),
    ).rejects.toBe(plain);
    expect(calls).toBe(1);
    // Also when it comes after retryable failures: the loop stops at it.
    calls = 0;
    await expect(
      withRetries(config, hooks, async (n) => {
        calls++;
        throw n < 4 ? busy() : plain;
      }),
    ).rejects.toBe(plain);
    expect(calls).toBe(4);
  });
});
