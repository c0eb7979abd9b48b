import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type NodeAnchor, openRepository } from '../../src/index.ts';
import { tempDir } from '../support/backends.ts';

const WORKER = fileURLToPath(new URL('./workers/edge-writer.ts', import.meta.url));

interface Report {
  name: string;
  acknowledged: Array<{ edge: string; node: string }>;
  conflicts: number;
  retries: number;
}

function runWorker(url: string, name: string, sessions: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [url, name, String(sessions)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    let report: Report | undefined;
    child.on('message', (m) => {
      report = m as Report;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && report ? resolve(report) : reject(new Error(`worker ${name} exited ${code}`))));
  });
}

describe('four processes on one SQLite file', () => {
  const dir = tempDir();
  afterAll(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));

  it('keeps every acknowledged edge, including those put() by stale sessions, with no dangling ids', async () => {
    const url = `sqlite:${join(dir, 'shared.db')}`;
    const reports = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((name) => runWorker(url, name, 100)));
    const acknowledged = reports.flatMap((r) => r.acknowledged);

    const repo = await openRepository({ url });
    const s = repo.session();
    const root = (await s.get('hot-root')) as NodeAnchor;
    const present = new Set(root.edgeIds);
    const missing = acknowledged.filter((a) => !present.has(a.edge));
    // Every acknowledged edge is whole: its row, its endpoints, and both endpoints list it.
    for (const a of acknowledged) {
      expect(await s.get(a.edge), `edge ${a.edge}`).toMatchObject({ kind: 'edge', source: 'hot-root', target: a.node });
      expect(((await s.get(a.node)) as NodeAnchor | undefined)?.edgeIds, `node ${a.node}`).toEqual([a.edge]);
    }
    // No dangling ids anywhere in the file: every listed edge id is an edge of that node, and
    // every edge's endpoints exist and list it.
    const rows = await repo.storage.scan({ limit: 1_000_000 });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const lists = new Map<string, string[]>();
    for (const r of rows) if (r.kind === 'node') lists.set(r.id, await repo.storage.loadEdgeIds(r.id));
    const dangling: string[] = [];
    for (const [node, ids] of lists) {
      for (const id of ids) {
        const e = byId.get(id);
        if (e?.kind !== 'edge' || (e.source !== node && e.target !== node)) dangling.push(`${node} lists ${id}`);
      }
    }
    for (const e of rows) {
      if (e.kind !== 'edge') continue;
      for (const end of [e.source, e.target]) if (!lists.get(end)?.includes(e.id)) dangling.push(`${e.id} not listed by ${end}`);
    }
    const fields = root.fields;
    // Conflicts a process met against another process's writes (each process is its own writer).
    const journal = await repo.storage.readJournal({});
    const crossProcess = journal.filter((e) => e.writers.some((w) => w !== e.writer)).length;
    await repo.close();

    const figures = {
      acknowledged: acknowledged.length,
      present: present.size,
      missing: missing.length,
      dangling: dangling.length,
      conflicts: reports.reduce((n, r) => n + r.conflicts, 0),
      retries: reports.reduce((n, r) => n + r.retries, 0),
      crossProcess,
    };
    console.log(`multi-process figures: ${JSON.stringify(figures)}`);
    expect(missing).toEqual([]);
    expect(dangling).toEqual([]);
    expect(present.size).toBe(acknowledged.length);
    expect(rows.filter((r) => r.kind === 'edge')).toHaveLength(acknowledged.length);
    expect(fields).toEqual({ seen_p1: 95, seen_p2: 95, seen_p3: 95, seen_p4: 95 });
    // The processes must have met each other's writes, or the run proved nothing.
    expect(figures.crossProcess).toBeGreaterThan(0);
  }, 120_000);
});
