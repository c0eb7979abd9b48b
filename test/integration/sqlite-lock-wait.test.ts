import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type CommitEvent, hasCode, openRepository, type Repository } from '../../src/index.ts';
import { useTempDir } from '../support/use-temp-dir.ts';

/** Another connection to the file that takes the write lock and holds it. */
function lockHolder(path: string) {
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      other.exec('COMMIT');
      other.close();
    },
  };
}

/** The nodes stored under the default root, read by a fresh session. */
async function stored(repo: Repository) {
  const s = repo.session();
  return s.neighbors(await s.root());
}

describe('waiting for the SQLite write lock', () => {
  const tmp = useTempDir();

  it('waits without blocking the process: a timer in the same process can free the lock it waits for', async () => {
    // A long busy timeout: a wait that blocked the thread would outlast the test's timeout.
    const repo = await openRepository({ url: `sqlite:${tmp.path}`, busyTimeoutMs: 60_000 });
    const s = repo.session();
    const root = await s.root();
    s.connect(root, s.create('Project', { name: 'p' }));
    const holder = lockHolder(tmp.path);
    let released = false;
    setTimeout(() => {
      holder.release();
      released = true;
    }, 50);
    await s.commit();
    expect(released).toBe(true);
    expect(await stored(repo)).toHaveLength(1);
    await repo.close();
  }, 20_000);

  it('reports the wait for the lock with the commit, and counts it as busy-wait time', async () => {
    const commits: CommitEvent[] = [];
    const repo = await openRepository({ url: `sqlite:${tmp.path}`, observers: [{ onCommit: (e) => commits.push(e) }] });
    const s = repo.session();
    const root = await s.root();
    s.connect(root, s.create('Project', { name: 'p' }));
    const holder = lockHolder(tmp.path);
    const held = performance.now();
    setTimeout(() => holder.release(), 150);
    await s.commit();
    const heldMs = performance.now() - held;
    const [commit] = commits.filter((c) => c.rows > 0);
    // It waited from before the release to after it: at least the hold (less the first try).
    expect(commit).toMatchObject({ outcome: 'committed', attempts: 1 });
    expect(commit?.lockWaitMs).toBeGreaterThan(50);
    expect(commit?.lockWaitMs).toBeLessThanOrEqual(heldMs);
    expect(repo.metrics?.snapshot().totals.busyWaitSeconds).toBeGreaterThan(0.05);
    await repo.close();
  });

  it('runs the writes of one process in the order they came, each whole, while the lock is taken', async () => {
    const repo = await openRepository({ url: `sqlite:${tmp.path}`, busyTimeoutMs: 60_000 });
    await repo.session().root();
    const holder = lockHolder(tmp.path);
    const landed: number[] = [];
    const commits = Array.from({ length: 6 }, async (_, n) => {
      const s = repo.session();
      s.connect(await s.root(), s.create('Project', { n }));
      await s.commit();
      landed.push(n);
    });
    setTimeout(() => holder.release(), 30);
    await Promise.all(commits);
    // Waiting each on its own, with jittered tries, they would land in any order.
    expect(landed).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await stored(repo)).map((p) => p.fields.n).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    await repo.close();
  }, 20_000);

  it('gives up after busyTimeoutMs with a retryable StorageError, writing nothing', async () => {
    const repo = await openRepository({
      url: `sqlite:${tmp.path}`,
      busyTimeoutMs: 30,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    });
    await repo.session().root();
    const holder = lockHolder(tmp.path);
    const s = repo.session();
    s.connect(await s.root(), s.create('Project', {}));
    const error = await s.commit().then(
      () => undefined,
      (e: unknown) => e,
    );
    holder.release();
    expect(hasCode(error, 'retries_exhausted')).toBe(true);
    expect(await stored(repo)).toHaveLength(0);
    await repo.close();
  }, 20_000);
});
