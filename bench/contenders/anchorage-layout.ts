import { SEED_VV } from '../seed-data.ts';
import { prepareAnchorStatements } from './anchor-statements.ts';
import type { Layout, SeedSpec } from './contender.ts';
import { seedRows } from './seed-rows.ts';
import { seedSqliteFile } from './sqlite-file.ts';

/**
 * anchorage's schema, created by anchorage's own migrations and filled with plain SQL: going
 * through sessions would take minutes for 100k edges and would measure nothing of interest.
 * The rows are exactly what anchorage writes (version 1, a version vector, edge refs per node).
 */
export const anchorageLayout: Layout = {
  name: 'anchorage',
  backend: 'sqlite',
  async seed(path: string, spec: SeedSpec): Promise<void> {
    // Loaded here, not at the top: processes of the hand-written contenders never load the library.
    const { openRepository } = await import('../../src/index.ts');
    await (await openRepository({ url: `sqlite:${path}`, metrics: false })).close();
    const vv = JSON.stringify(SEED_VV);
    seedSqliteFile(path, '', (db) => {
      const q = prepareAnchorStatements(db);
      for (const r of seedRows(spec)) {
        q.insert.run(r.id, r.kind, r.type, r.root, JSON.stringify(r.fields), r.source, r.target, vv);
        for (const edge of r.edges ?? []) q.addRef.run(r.id, edge);
      }
    });
  },
};
