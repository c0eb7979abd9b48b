import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyStats } from '../../src/core/commit-stats.ts';
import type { JournalEntry } from '../../src/core/journal.ts';
import { type NodeAnchor, openRepository } from '../../src/index.ts';
import { RetentionTask } from '../../src/metrics/index.ts';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import { backends } from '../support/backends.ts';

const T0 = 1_800_000_000_000;
const entry = (i: number): JournalEntry => ({
  commitId: `c${i}`,
  at: T0 + i * 1000,
  writer: 'w',
  anchorId: `n${i}`,
  type: 'Doc',
  kind: 'field',
  resolution: 'lww',
  fields: ['x'],
  edges: [],
  writers: ['v'],
});

describe.each(backends)('journal retention on $name', (backend) => {
  /** Ten journal rows and ten stats rows, one a second from T0; the task's clock reads T0 + 10 s. */
  async function seeded(retention: { maxRows: number; maxAgeMs: number }) {
    const db = await backend.create();
    const storage = await db.storage();
    await storage.appendJournal(Array.from({ length: 10 }, (_, i) => entry(i)));
    await storage.appendStats(
      Array.from({ length: 10 }, (_, i) => emptyStats('w', backend.name, T0 + i * 1000, T0 + i * 1000 + 999)),
    );
    const task = new RetentionTask(
      storage,
      { ...retention, intervalMs: 3_600_000, commitRecordsMaxAgeMs: 3_600_000 },
      () => T0 + 10_000,
    );
    const kept = async () => ({
      journal: (await storage.readJournal({})).map((e) => e.commitId),
      stats: (await storage.readStats({})).map((s) => (s.start - T0) / 1000),
    });
    const done = async () => {
      await task.onClose();
      await db.cleanup();
    };
    return { task, kept, done };
  }

  it('drops rows older than maxAgeMs, then all but the newest maxRows, in the journal and the stats', async () => {
    // Now is T0 + 10 s: a 7.5 s age limit keeps rows 3..9; 4 rows keep 6..9.
    const { task, kept, done } = await seeded({ maxRows: 4, maxAgeMs: 7500 });
    expect(await task.prune()).toEqual({ journal: 6, stats: 6, commits: 0 });
    expect(await kept()).toEqual({ journal: ['c6', 'c7', 'c8', 'c9'], stats: [6, 7, 8, 9] });
    expect(await task.prune()).toEqual({ journal: 0, stats: 0, commits: 0 });
    await done();
  });

  it('drops by age more than maxRows would: age and count both bind, the stricter wins', async () => {
    // 8 rows alone would keep 2..9; a 3.5 s age limit (rows at or after T0 + 6.5 s) keeps 7..9.
    const { task, kept, done } = await seeded({ maxRows: 8, maxAgeMs: 3500 });
    expect(await task.prune()).toEqual({ journal: 7, stats: 7, commits: 0 });
    expect(await kept()).toEqual({ journal: ['c7', 'c8', 'c9'], stats: [7, 8, 9] });
    await done();
  });

  it('drops by age alone when maxRows is far off, keeping a row exactly maxAgeMs old', async () => {
    // Rows older than T0 + 5 s go; the row at T0 + 5 s is exactly 5 s old, not older, and stays.
    const { task, kept, done } = await seeded({ maxRows: 1_000_000, maxAgeMs: 5000 });
    expect(await task.prune()).toEqual({ journal: 5, stats: 5, commits: 0 });
    expect(await kept()).toEqual({ journal: ['c5', 'c6', 'c7', 'c8', 'c9'], stats: [5, 6, 7, 8, 9] });
    expect(await task.prune()).toEqual({ journal: 0, stats: 0, commits: 0 });
    await done();
  });
});

describe('journal retention schedule', () => {
  afterEach(() => vi.useRealTimers());

  it('prunes every intervalMs, never inside a commit', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = new MemoryStorage();
    const repo = await openRepository({
      storage: store,
      metrics: false,
      policies: { Doc: { x: 'lww' } },
      journalRetention: { maxRows: 1, intervalMs: 60_000 },
    });
    const s = repo.session();
    const n = s.create('Doc', { x: 0 });
    await s.commit();
    for (let i = 1; i <= 3; i++) {
      const a = repo.session();
      const b = repo.session();
      ((await a.get(n.id)) as NodeAnchor).fields.x = i;
      ((await b.get(n.id)) as NodeAnchor).fields.x = -i;
      await a.commit();
      await b.commit();
    }
    expect(store.journal).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.journal.map((e) => e.resolution)).toEqual(['lww']);
    await repo.close();
  });
});
