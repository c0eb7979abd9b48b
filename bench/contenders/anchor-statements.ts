import type { Database, Statement } from 'better-sqlite3';

export interface AnchorRecord {
  id: string;
  type: string;
  fields: string;
  version: number;
}

export interface AnchorStatements {
  readonly read: Statement<[string], AnchorRecord>;
  readonly cas: Statement<[string, string, number]>;
  /** An endpoint whose edge list moved gets a new version, so readers of it see the change. */
  readonly bump: Statement<[string]>;
  readonly insert: Statement<[string, string, string, string, string, string | null, string | null, string]>;
  readonly addRef: Statement<[string, string]>;
  readonly edgeIds: Statement<[string], { edge_id: string }>;
  readonly outNeighbors: Statement<[string, string], AnchorRecord>;
}

/**
 * Hand-written prepared statements on anchorage's own schema (`anchors`, `edge_refs`), so the
 * hand-written contenders do the same work on the same tables and indexes as the library.
 */
export function prepareAnchorStatements(db: Database): AnchorStatements {
  return {
    read: db.prepare<[string], AnchorRecord>('SELECT id, type, fields, version FROM anchors WHERE id = ?'),
    cas: db.prepare<[string, string, number]>(
      'UPDATE anchors SET fields = ?, version = version + 1 WHERE id = ? AND version = ?',
    ),
    bump: db.prepare<[string]>('UPDATE anchors SET version = version + 1 WHERE id = ?'),
    insert: db.prepare<[string, string, string, string, string, string | null, string | null, string]>(
      'INSERT INTO anchors (id, kind, type, root, fields, source, target, version, vv) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)',
    ),
    addRef: db.prepare<[string, string]>('INSERT INTO edge_refs (node_id, edge_id) VALUES (?, ?)'),
    edgeIds: db.prepare<[string], { edge_id: string }>('SELECT edge_id FROM edge_refs WHERE node_id = ? ORDER BY seq'),
    outNeighbors: db.prepare<[string, string], AnchorRecord>(
      `SELECT n.id, n.type, n.fields, n.version FROM edge_refs r
         JOIN anchors e ON e.id = r.edge_id
         JOIN anchors n ON n.id = e.target
        WHERE r.node_id = ? AND e.source = ? ORDER BY r.seq`,
    ),
  };
}
