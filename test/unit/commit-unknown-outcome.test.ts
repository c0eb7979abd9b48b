import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/core/errors.ts';
import type { WriteSet } from '../../src/core/write-set.ts';
import { type NodeAnchor, openRepository } from '../../src/index.ts';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import type { StoragePort } from '../../src/storage/storage-port.ts';
import { withApply } from '../support/fault-storage.ts';

const lostCommit = () => new StorageError('commit: connection lost', { retryable: true, context: { ambiguous: true } });
const busy = () => new StorageError('commit: busy', { retryable: true, context: { ambiguous: false } });

/** A counter `n` on a memory store whose `apply` answers attempt k (1-based) with `answers[k-1]`, then as the store does. */
async function counterWith(answers: Array<(inner: StoragePort, ws: WriteSet) => ReturnType<StoragePort['apply']>>) {
  const store = new MemoryStorage();
  const seed = await openRepository({ storage: store, metrics: false });
  const s = seed.session();
  const id = s.create('Counter', { n: 0 }).id;
  await s.commit();
  const commitIds: string[] = [];
  let k = 0;
  const storage = withApply(store, (ws, rebase) => {
    commitIds.push(ws.commitId);
    const answer = answers[k++];
    return answer ? answer(store, ws) : store.apply(ws, rebase);
  });
  const repo = await openRepository({ storage, metrics: false, retry: { retries: 4, maxDelayMs: 1 } });
  const session = repo.session();
  const c = (await session.get(id)) as NodeAnchor;
  c.fields.n = 1;
  return { session, commitIds, stored: async () => (await store.load([id])).get(id) };
}

describe('a commit whose COMMIT was lost', () => {
  it('is retried with the same commit id, and commits once a retry gets an answer', async () => {
    const { session, commitIds, stored } = await counterWith([async () => Promise.reject(lostCommit())]);
    await session.commit();
    expect(commitIds).toHaveLength(2);
    expect(new Set(commitIds).size).toBe(1);
    expect(await stored()).toMatchObject({ version: 2, fields: { n: 1 } });
  });

  it('fails as ambiguous, not as retries_exhausted ("nothing written"), when no retry gets an answer', async () => {
    const failing = [lostCommit, busy, busy, busy, busy].map((e) => async () => Promise.reject(e()));
    const { session } = await counterWith(failing);
    await expect(session.commit()).rejects.toMatchObject({ code: 'storage', context: { ambiguous: true, attempts: 5 } });
  });

  it('fails as retries_exhausted when a later answer settled that it was not written', async () => {
    const stale = async (inner: StoragePort, ws: WriteSet) => {
      const id = ws.updates[0]?.id as string;
      return { ok: false as const, stale: [{ id, current: (await inner.load([id])).get(id) ?? null }] };
    };
    const { session } = await counterWith([
      async () => Promise.reject(lostCommit()),
      stale,
      ...Array(3).fill(async () => Promise.reject(busy())),
    ]);
    await expect(session.commit()).rejects.toMatchObject({ code: 'retries_exhausted' });
  });
});

describe('commit records', () => {
  it('must outlive every retry: a retry budget as long as their retention is refused', async () => {
    const storage = new MemoryStorage();
    const hour = 3_600_000;
    await expect(openRepository({ storage, retry: { maxRetryTimeMs: hour } })).rejects.toMatchObject({
      code: 'validation',
      message: expect.stringContaining('retry.maxRetryTimeMs'),
    });
    await expect(openRepository({ storage, journalRetention: { commitRecordsMaxAgeMs: hour / 2 } })).rejects.toMatchObject({
      code: 'validation',
    });
    const longer = await openRepository({
      storage,
      retry: { maxRetryTimeMs: hour },
      journalRetention: { commitRecordsMaxAgeMs: 2 * hour },
    });
    await longer.close();
  });
});
