import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WriteSet } from '../../src/core/write-set.ts';
import { type NodeAnchor, openRepository, type Repository } from '../../src/index.ts';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';
import type { StoragePort } from '../../src/storage/storage-port.ts';
import { useTempDir } from '../support/use-temp-dir.ts';

const DEGREE = 5000;

/**
 * What the repository asked of storage: every `loadEdgeIds`/`loadEdgeIdsSync` (by node) and every
 * write set. Methods run on the real port (its private fields need the real `this`).
 */
function counting(inner: SqliteStorage) {
  const seen = { edgeLists: [] as string[], writeSets: [] as WriteSet[] };
  const port = new Proxy(inner, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key === 'loadEdgeIds' || key === 'loadEdgeIdsSync') {
        return (id: string) => {
          seen.edgeLists.push(id);
          return value.call(target, id);
        };
      }
      if (key === 'apply') {
        return (ws: WriteSet, rebase?: Parameters<StoragePort['apply']>[1]) => {
          seen.writeSets.push(ws);
          return value.call(target, ws, rebase && ((stale: Parameters<typeof rebase>[0]) => track(rebase(stale))));
        };
      }
      return value.bind(target);
    },
  }) as StoragePort;
  const track = (ws: WriteSet | undefined) => {
    if (ws) seen.writeSets.push(ws);
    return ws;
  };
  /** Rows inserted, updated or deleted on the port's connection so far (SQLite's total_changes()). */
  const changes = () => Number(inner.database.prepare('SELECT total_changes() AS n').pluck().get());
  return { port, seen, changes };
}

/** The cost of one commit: edge lists loaded, rows changed, what the write sets carried. */
interface Cost {
  edgeListsLoaded: string[];
  rowsChanged: number;
  writeSets: Array<{ inserts: number; updates: string[]; deletes: number; checks: number; endpoints: number }>;
}

describe('adding an edge to a node of high degree (SQLite)', () => {
  const tmp = useTempDir();
  let storage: SqliteStorage;
  let probe: ReturnType<typeof counting>;
  let repo: Repository;
  let hub: string;
  let small: string;

  beforeEach(async () => {
    storage = new SqliteStorage({ path: tmp.path, durability: 'normal', busyTimeoutMs: 5000 });
    probe = counting(storage);
    // No background writes (commit counts, retention) on the connection being measured.
    repo = await openRepository({ storage: probe.port, writerId: 'w', metrics: false, journalRetention: false });
    const s = repo.session({ root: 'u' });
    const root = await s.root();
    const h = s.create('Hub', {});
    const sm = s.create('Hub', {});
    s.connect(root, h);
    s.connect(root, sm);
    for (let i = 0; i < DEGREE; i++) s.connect(h, s.create('Leaf', { i }));
    for (let i = 0; i < 10; i++) s.connect(sm, s.create('Leaf', { i }));
    await s.commit();
    hub = h.id;
    small = sm.id;
  }, 60_000);
  afterEach(async () => {
    await repo.close();
  });

  /** Runs `work` and returns what it cost. */
  async function costOf(work: () => Promise<void>): Promise<Cost> {
    probe.seen.edgeLists.length = 0;
    probe.seen.writeSets.length = 0;
    const before = probe.changes();
    await work();
    return {
      edgeListsLoaded: [...probe.seen.edgeLists],
      rowsChanged: probe.changes() - before,
      writeSets: probe.seen.writeSets.map((ws) => ({
        inserts: ws.inserts.length,
        updates: ws.updates.map((u) => u.id),
        deletes: ws.deletes.length,
        checks: ws.checks.length,
        endpoints: ws.endpoints.length,
      })),
    };
  }

  const addOneEdge = (id: string) => async () => {
    const s = repo.session({ root: 'u' });
    const node = (await s.get(id)) as NodeAnchor;
    s.connect(node, s.create('Leaf', { late: true }));
    await s.commit();
  };

  it('commits without loading its edge list, writing the same rows as for a node of degree 10', async () => {
    const big = await costOf(addOneEdge(hub));
    const ten = await costOf(addOneEdge(small));
    expect(big.edgeListsLoaded).toEqual([]);
    // One attempt: a node row, an edge row, two edge_refs rows, the hub's version bump. The hub
    // goes as an endpoint (its base version, for the edge-conflict journal), never as an update.
    expect(big.writeSets).toEqual([{ inserts: 2, updates: [], deletes: 0, checks: 0, endpoints: 1 }]);
    expect(big.rowsChanged).toBe(5);
    expect(big).toEqual(ten);

    // And the edge is there, last, after the root's and the 5000 others.
    const check = repo.session({ root: 'u' });
    const after = (await check.get(hub)) as NodeAnchor;
    expect(after.edgeIds).toHaveLength(1 + DEGREE + 1);
    expect(await check.get(after.edgeIds.at(-1) as string)).toMatchObject({ kind: 'edge', source: hub });
  });

  it('does the same through put(), and when another writer added an edge since it loaded the node', async () => {
    const measure = (id: string) =>
      costOf(async () => {
        const stale = repo.session({ root: 'u' });
        const node = (await stale.get(id)) as NodeAnchor;
        await addOneEdge(id)(); // another session adds an edge first: the stale session's base moved
        const edge = stale.connect(node, stale.create('Leaf', { stale: true }));
        await stale.put(edge);
      });
    const big = await measure(hub);
    const ten = await measure(small);
    expect(big.edgeListsLoaded).toEqual([]);
    expect(big).toEqual(ten);
    // Two commits, each a node, an edge, two edge_refs rows and a bump; and the stale one's
    // journal row (its edge list was rebased in place, not reloaded).
    expect(big.writeSets).toEqual([
      { inserts: 2, updates: [], deletes: 0, checks: 0, endpoints: 1 },
      { inserts: 2, updates: [], deletes: 0, checks: 0, endpoints: 1 },
    ]);
    expect(big.rowsChanged).toBe(11);
    const after = (await repo.session({ root: 'u' }).get(hub)) as NodeAnchor;
    expect(after.edgeIds).toHaveLength(1 + DEGREE + 2);
  });
});
