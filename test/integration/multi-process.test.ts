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
    for (const id of root.edgeIds) {
      const e = await s.get(id);
      expect(e?.kind).toBe('edge');
      if (e?.kind === 'edge') expect(((await s.get(e.target)) as NodeAnchor).edgeIds).toEqual([id]);
    }
    const fields = root.fields;
    await repo.close();

    const figures = {
      acknowledged: acknowledged.length,
      present: present.size,
      missing: missing.length,
      conflicts: reports.reduce((n, r) => n + r.conflicts, 0),
      retries: reports.reduce((n, r) => n + r.retries, 0),
    };
    console.log(`multi-process figures: ${JSON.stringify(figures)}`);
    expect(missing).toEqual([]);
    expect(present.size).toBe(acknowledged.length);
    expect(fields).toEqual({ seen_p1: 95, seen_p2: 95, seen_p3: 95, seen_p4: 95 });
  }, 120_000);
});
