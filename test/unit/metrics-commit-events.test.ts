import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageError } from '../../src/core/errors.ts';
import {
  type CommitEvent,
  type ConflictReport,
  type NodeAnchor,
  openRepository,
  type Repository,
  type RepositoryOptions,
} from '../../src/index.ts';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import { withApply } from '../support/fault-storage.ts';

type Event = [string, string];

function recorder() {
  const events: Event[] = [];
  const conflicts: ConflictReport[] = [];
  const commits: CommitEvent[] = [];
  return {
    events,
    conflicts,
    commits,
    observer: {
      onAttempt: (e: { outcome: string }) => events.push(['attempt', e.outcome]),
      onConflict: (e: ConflictReport) => {
        conflicts.push(e);
        events.push(['conflict', `${e.kind}/${e.resolution}`]);
      },
      onCommit: (e: CommitEvent) => {
        commits.push(e);
        events.push(['commit', e.outcome]);
      },
    },
  };
}

async function setup(store: MemoryStorage, options: Omit<RepositoryOptions, 'storage'> = {}) {
  const rec = recorder();
  const repo = await openRepository({ storage: store, writerId: 'me', observers: [rec.observer], ...options });
  const s = repo.session();
  const node = s.create('Doc', { x: 0, y: 0 });
  await s.commit();
  rec.events.length = 0;
  rec.commits.length = 0;
  return { repo, rec, id: node.id };
}

async function twoEdits(repo: Repository, id: string, first: Record<string, number>, second: Record<string, number>) {
  const a = repo.session();
  const b = repo.session();
  Object.assign(((await a.get(id)) as NodeAnchor).fields, first);
  Object.assign(((await b.get(id)) as NodeAnchor).fields, second);
  await a.commit();
  return b;
}

describe('conflict events and the journal', () => {
  afterEach(() => vi.useRealTimers());

  it('journals a rejected conflict on its own and reports it before the failed commit', async () => {
    const store = new MemoryStorage();
    const { repo, rec, id } = await setup(store);
    const b = await twoEdits(repo, id, { x: 1 }, { x: 2 });
    rec.events.length = 0;
    await expect(b.commit()).rejects.toMatchObject({ code: 'field_conflict' });
    expect(rec.events).toEqual([
      ['attempt', 'conflict'],
      ['conflict', 'field/rejected'],
      ['commit', 'conflict'],
    ]);
    expect(store.journal).toEqual([
      expect.objectContaining({ anchorId: id, kind: 'field', resolution: 'rejected', fields: ['x'], writer: 'me' }),
    ]);
    expect(store.journal[0]?.commitId).toBe(rec.conflicts[0]?.commitId);
    await repo.close();
  });

  it('journals a resolved conflict with the commit that resolved it, once', async () => {
    const store = new MemoryStorage();
    const { repo, rec, id } = await setup(store, { policies: { Doc: { x: 'lww' } } });
    const b = await twoEdits(repo, id, { x: 1 }, { x: 2 });
    rec.events.length = 0;
    await b.commit();
    expect(rec.events).toEqual([
      ['attempt', 'conflict'],
      ['attempt', 'committed'],
      ['conflict', 'field/lww'],
      ['commit', 'committed'],
    ]);
    expect(store.journal.map((e) => [e.resolution, e.commitId])).toEqual([['lww', rec.conflicts[0]?.commitId]]);
    await repo.close();
  });

  it('journals what was still conflicting as exhausted when retries run out, and nothing as resolved', async () => {
    const store = new MemoryStorage();
    const bumper = await openRepository({ storage: store, writerId: 'bumper', metrics: false });
    let id = '';
    // Another writer changes the node before every attempt, and the attempt cannot rebase in place.
    const racing = withApply(store, async (ws) => {
      const s = bumper.session();
      const n = (await s.get(id)) as NodeAnchor;
      n.fields.y = Number(n.fields.y) + 1;
      await s.commit();
      return store.apply(ws);
    });
    const { repo, rec, id: nodeId } = await setup(store);
    id = nodeId;
    const retry = { retries: 2, minDelayMs: 0, maxDelayMs: 0 };
    const victim = await openRepository({ storage: racing, writerId: 'victim', observers: [rec.observer], retry });
    const s = victim.session();
    ((await s.get(id)) as NodeAnchor).fields.x = 7;
    await expect(s.commit()).rejects.toMatchObject({ code: 'retries_exhausted' });
    expect(rec.commits.at(-1)).toMatchObject({ outcome: 'exhausted', attempts: 3 });
    expect(rec.conflicts.map((c) => `${c.kind}/${c.resolution}`)).toEqual(['field/exhausted']);
    expect(store.journal).toEqual([
      expect.objectContaining({ anchorId: id, resolution: 'exhausted', writer: 'victim', writers: ['bumper'] }),
    ]);
    expect(victim.metrics?.snapshot().totals.conflicts.byResolution.exhausted).toBe(1);
    for (const r of [victim, bumper, repo]) await r.close();
  });

  it('counts busy attempts and their retries', async () => {
    const store = new MemoryStorage();
    let busy = 2;
    const flaky = withApply(store, async (ws, rebase) => {
      if (busy-- > 0) throw new StorageError('database is locked', { retryable: true });
      return store.apply(ws, rebase);
    });
    const repo = await openRepository({ storage: flaky, retry: { minDelayMs: 0, maxDelayMs: 0 } });
    const s = repo.session();
    s.create('Doc', {});
    await s.commit();
    const totals = repo.metrics?.snapshot().totals;
    expect(totals?.casAttempts).toMatchObject({ busy: 2, committed: 1, total: 3 });
    expect(totals?.commits).toMatchObject({ committed: 1, total: 1 });
    expect(await repo.metrics?.prometheus()).toMatch(/anchorage_retries_total\{backend="memory",reason="busy"\} 2/);
    await repo.close();
  });

  it('writes commit counts to the database every flush interval and at close, never in a commit', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = new MemoryStorage();
    const repo = await openRepository({ storage: store, writerId: 'w', metrics: { flushIntervalMs: 1000 } });
    for (let i = 0; i < 3; i++) {
      const s = repo.session();
      s.create('Doc', {});
      await s.commit();
    }
    expect(store.stats).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.stats.map((r) => r.commits.committed)).toEqual([3]);
    const s = repo.session();
    s.create('Doc', {});
    await s.commit();
    await repo.close();
    expect(store.stats.map((r) => [r.writer, r.backend, r.commits.committed, r.attempts.committed])).toEqual([
      ['w', 'memory', 3, 3],
      ['w', 'memory', 1, 1],
    ]);
    expect(store.stats[1]?.start).toBe(store.stats[0]?.end);
  });
});
