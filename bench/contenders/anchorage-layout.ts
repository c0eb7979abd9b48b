import Database from 'better-sqlite3';
import { openRepository, SYSTEM_ROOT } from '../../src/index.ts';
import { HOT_ROOT, hubEdgeId, itemFields, itemId, leafFields, leafId, SEED_VV } from '../seed-data.ts';
import { prepareAnchorStatements } from './anchor-statements.ts';
import type { Layout, SeedSpec } from './contender.ts';
import { closeForCopy } from './sqlite-file.ts';

/**
 * anchorage's schema, created by anchorage's own migrations and filled with plain SQL: going
 * through sessions would take minutes for 100k edges and would measure nothing of interest.
 * The rows are exactly what anchorage writes (version 1, a version vector, both edge refs).
 */
export const anchorageLayout: Layout = {
  name: 'anchorage',
  async seed(path: string, spec: SeedSpec): Promise<void> {
    await (await openRepository({ url: `sqlite:${path}` })).close();
    const db = new Database(path);
    const q = prepareAnchorStatements(db);
    const vv = JSON.stringify(SEED_VV);
    const node = (id: string, type: string, root: string, fields: object) =>
      q.insert.run(id, 'node', type, root, JSON.stringify(fields), null, null, vv);
    db.transaction(() => {
      node(HOT_ROOT, 'Root', HOT_ROOT, {});
      for (let i = 0; i < spec.items; i++) node(itemId(i), 'Item', SYSTEM_ROOT, itemFields(i));
      spec.hubs.forEach((hub, h) => {
        node(hub.id, 'Hub', SYSTEM_ROOT, { name: `hub-${hub.degree}` });
        for (let j = 0; j < hub.degree; j++) {
          const leaf = leafId(h, j);
          const edge = hubEdgeId(h, j);
          node(leaf, 'Leaf', SYSTEM_ROOT, leafFields(j));
          q.insert.run(edge, 'edge', 'Edge', SYSTEM_ROOT, '{}', hub.id, leaf, vv);
          q.addRef.run(hub.id, edge);
          q.addRef.run(leaf, edge);
        }
      });
    })();
    closeForCopy(db);
  },
};
