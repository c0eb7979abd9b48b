import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/check/finding.ts';
import { type NodeAnchor, openRepository } from '../../src/index.ts';
import { tempDir } from '../support/backends.ts';

function check(url: string, ...flags: string[]): { status: number | null; report: CheckReport } {
  const r = spawnSync('node', ['bin/anchorage.js', 'check', '--db', url, '--json', ...flags], { encoding: 'utf8' });
  return { status: r.status, report: JSON.parse(r.stdout) as CheckReport };
}

describe('anchorage check (fsck)', () => {
  let dir: string;
  let path: string;
  let url: string;
  const ids: Record<string, string> = {};
  beforeEach(async () => {
    dir = tempDir();
    path = join(dir, 'app.db');
    url = `sqlite:${path}`;
    const repo = await openRepository({ url });
    const s = repo.session({ root: 'u' });
    const root = await s.root();
    const a = s.create('A', {});
    const b = s.create('B', {});
    const c = s.create('C', {});
    ids.a = a.id;
    ids.b = b.id;
    ids.c = c.id;
    ids.ab = s.connect(a, b).id;
    ids.rootA = s.connect(root, a).id;
    ids.rootC = s.connect(root, c).id;
    await s.commit();
    await repo.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds nothing wrong in a database only anchorage wrote', () => {
    const { status, report } = check(url);
    expect(report.findings).toEqual([]);
    expect(report.anchors).toBe(7);
    expect(status).toBe(0);
  });

  it('reports corrupt rows, dangling ids, edges without endpoints, missing ids, vector drift and orphans', () => {
    const db = new Database(path);
    db.prepare("UPDATE anchors SET fields = '[oops' WHERE id = ?").run(ids.c);
    db.prepare("INSERT INTO edge_refs (node_id, edge_id) VALUES (?, 'no-such-edge')").run(ids.a);
    db.prepare('DELETE FROM anchors WHERE id = ?').run(ids.b); // leaves edge ab without its target
    db.prepare('DELETE FROM edge_refs WHERE node_id = ? AND edge_id = ?').run('u', ids.rootA);
    db.prepare('UPDATE anchors SET version = version + 5 WHERE id = ?').run(ids.a);
    db.prepare(
      `INSERT INTO anchors (id, kind, type, root, fields, version, vv) VALUES ('lonely', 'node', 'N', 'u', '{}', 1, '{"w":1}')`,
    ).run();
    db.close();

    const { status, report } = check(url);
    const kinds = report.findings.map((f) => `${f.kind}:${f.anchorId}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        `corrupt_row:${ids.c}`,
        `dangling_edge_id:${ids.a}`,
        `edge_missing_endpoint:${ids.ab}`,
        `missing_edge_id:u`,
        `vv_mismatch:${ids.a}`,
        'orphan_node:lonely',
      ]),
    );
    expect(status).toBe(1);
  });

  it('repairs what is safe, quarantines corrupt rows, and leaves a database that checks clean but for what needs a person', async () => {
    const db = new Database(path);
    db.prepare("UPDATE anchors SET vv = 'not json' WHERE id = ?").run(ids.c);
    db.prepare("INSERT INTO edge_refs (node_id, edge_id) VALUES (?, 'no-such-edge')").run(ids.a);
    db.prepare('DELETE FROM edge_refs WHERE node_id = ? AND edge_id = ?').run('u', ids.rootA);
    db.close();

    const { status, report } = check(url, '--repair');
    expect(report.repaired).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`quarantined corrupt row ${ids.c}`),
        expect.stringContaining('removed dangling edge id no-such-edge'),
        expect.stringContaining(`listed edge ${ids.rootA}`),
      ]),
    );
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);

    const after = new Database(path);
    expect(after.prepare('SELECT anchor_id FROM quarantine').all()).toEqual([{ anchor_id: ids.c }]);
    after.close();
    const repo = await openRepository({ url });
    const root = (await repo.session().get('u')) as NodeAnchor;
    expect(root.edgeIds).toEqual([ids.rootA]); // the edge to the quarantined node went with it
    await repo.close();
    expect(check(url).report.findings).toEqual([]);
  });

  it('refuses a non-SQLite url with exit code 2', () => {
    const r = spawnSync('node', ['bin/anchorage.js', 'check', '--db', 'memory:'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sqlite');
  });
});
