import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NodeAnchor, openRepository } from '../../src/index.ts';
import { tempDir } from '../support/backends.ts';

const BUSY_WORKER = fileURLToPath(new URL('./workers/busy-writer.ts', import.meta.url));

interface BusyReport {
  acknowledged: string[];
  failed: Array<{ node: string; code: string }>;
  busyRetries: number;
}

/** Forks busy writers that open the file, then start writing together once all of them are open. */
function runBusyWorkers(url: string, names: readonly string[], count: number): Promise<BusyReport[]> {
  let ready = 0;
  const children = names.map((name) =>
    fork(BUSY_WORKER, [url, name, String(count)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }),
  );
  return Promise.all(
    children.map(
      (child) =>
        new Promise<BusyReport>((resolve, reject) => {
          let report: BusyReport | undefined;
          child.on('message', (m) => {
            if (m !== 'ready') report = m as BusyReport;
            else if (++ready === children.length) for (const c of children) c.send('go');
          });
          child.on('exit', (code) => (code === 0 && report ? resolve(report) : reject(new Error(`worker exited ${code}`))));
        }),
    ),
  );
}

describe('faults on a SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('with no busy timeout under contention, every commit either lands whole or fails typed, never half', async () => {
    const url = `sqlite:${join(dir, 'busy.db')}`;
    const seed = await openRepository({ url });
    await seed.session({ root: 'busy-root' }).root();
    await seed.close();

    const reports = await runBusyWorkers(url, ['a', 'b', 'c', 'd'], 150);
    const acknowledged = reports.flatMap((r) => r.acknowledged);
    const failed = reports.flatMap((r) => r.failed);
    for (const f of failed) expect(['retries_exhausted', 'storage']).toContain(f.code);

    const repo = await openRepository({ url });
    const s = repo.session();
    const root = (await s.get('busy-root')) as NodeAnchor;
    const listed = new Set(root.edgeIds);
    const children = new Set((await s.neighbors(root)).map((n) => n.id));
    for (const id of acknowledged) expect(children.has(id), `acknowledged ${id}`).toBe(true);
    for (const f of failed) expect(await s.get(f.node), `failed commit left ${f.node}`).toBeUndefined();
    expect(listed.size).toBe(acknowledged.length);
    await repo.close();
    const busyRetries = reports.reduce((n, r) => n + r.busyRetries, 0);
    console.log(`busy figures: ${JSON.stringify({ acknowledged: acknowledged.length, failed: failed.length, busyRetries })}`);
    // The run must have met a busy database, or it proved nothing.
    expect(busyRetries).toBeGreaterThan(0);
  }, 120_000);

  it('gives StorageError on a full database, writes nothing, and commits once space is back', async () => {
    const repo = await openRepository({ url: `sqlite:${join(dir, 'full.db')}` });
    const raw = (repo.storage as unknown as { database: Database.Database }).database;
    const s = repo.session({ root: 'u' });
    const root = await s.root();
    const before = raw.pragma('page_count', { simple: true }) as number;
    raw.pragma(`max_page_count = ${before + 2}`);

    const big = s.create('Blob', { data: 'x'.repeat(200_000) });
    s.connect(root, big);
    const err = await s.commit().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'storage', retryable: false, context: { full: true } });
    const check = repo.session();
    expect(await check.get(big.id)).toBeUndefined();
    expect(((await check.get('u')) as NodeAnchor).edgeIds).toEqual([]);

    raw.pragma('max_page_count = 1073741823');
    await s.commit();
    expect((await repo.session().get(big.id))?.fields.data).toHaveLength(200_000);
    expect(((await repo.session().get('u')) as NodeAnchor).edgeIds).toHaveLength(1);
    await repo.close();
  });
});
