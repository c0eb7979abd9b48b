import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { Layout, SeedSpec } from '../contenders/contender.ts';
import { seedRows } from '../contenders/seed-rows.ts';
import { seedSqliteFile } from '../contenders/sqlite-file.ts';

// The repository's own better-sqlite3 build: the peers' copy is installed without its native build
// (bench/peers/.npmrc), so every contender runs the same SQLite and nothing compiles twice.
const rootRequire = createRequire(new URL('../../package.json', import.meta.url));
export const RootDatabase = rootRequire('better-sqlite3') as typeof BetterSqlite3;
export const ROOT_NATIVE_BINDING = rootRequire.resolve('better-sqlite3/build/Release/better_sqlite3.node');

/** The tables an ORM user would map: nodes with a version column, and edges as rows of their own. */
const SCHEMA = `
  CREATE TABLE peer_nodes (id TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL, fields TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
  CREATE TABLE peer_edges (id TEXT PRIMARY KEY NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL);
  CREATE INDEX peer_edges_source ON peer_edges (source);`;

/** Shared by the ORM peers: the same graph as every layout, filled with plain SQL (not timed). */
export const ormLayout: Layout = {
  name: 'orm-peers',
  backend: 'sqlite',
  async seed(path: string, spec: SeedSpec): Promise<void> {
    seedSqliteFile(path, SCHEMA, (db) => {
      const node = db.prepare<[string, string, string]>('INSERT INTO peer_nodes (id, type, fields, version) VALUES (?, ?, ?, 1)');
      const edge = db.prepare<[string, string, string]>('INSERT INTO peer_edges (id, source, target) VALUES (?, ?, ?)');
      for (const r of seedRows(spec)) {
        if (r.kind === 'node') node.run(r.id, r.type, JSON.stringify(r.fields));
        else edge.run(r.id, r.source as string, r.target as string);
      }
    });
  },
};

/** An ORM's view of a node row. */
export interface PeerNode {
  id: string;
  type: string;
  fields: Record<string, unknown>;
  version: number;
}

export interface PeerEdge {
  id: string;
  source: string;
  target: string;
}
