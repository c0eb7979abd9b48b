import { bigint, customType, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Ids compare byte-wise (collation "C"), as on SQLite, whatever the database's default collation:
 * keyset paging (`id > after ORDER BY id`) must order ids the same way on every backend.
 */
const idText = customType<{ data: string; notNull: false; default: false }>({
  dataType: () => 'text COLLATE "C"',
});

/**
 * One row per anchor, the same shape as the SQLite schema.
 * - `fields` is JSON **text**, not jsonb: jsonb reorders object keys and refuses `\u0000` in
 *   strings, and a field value must come back exactly as written, as it does on SQLite.
 * - `vv` is **jsonb**: it only holds writer ids (a safe alphabet) and counts, and jsonb lets a
 *   write bump `vv[writer]` inside the UPDATE, so the count and the version move in one statement.
 * A node's edge list is not in its row: it lives in `edge_refs`.
 */
export const anchors = pgTable(
  'anchors',
  {
    id: idText('id').primaryKey(),
    kind: text('kind', { enum: ['node', 'edge'] }).notNull(),
    type: text('type').notNull(),
    root: text('root').notNull(),
    fields: text('fields').notNull(),
    source: text('source'),
    target: text('target'),
    version: integer('version').notNull(),
    vv: jsonb('vv').$type<Record<string, number>>().notNull(),
  },
  (t) => [index('anchors_type_id').on(t.type, t.id)],
);

/**
 * Edge lists: one row per (node, edge); `seq` (an identity) gives creation order. Every writer
 * that adds an edge holds its endpoints' row locks first, so `seq` order is commit order per node.
 */
export const edgeRefs = pgTable(
  'edge_refs',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    nodeId: text('node_id').notNull(),
    edgeId: text('edge_id').notNull(),
  },
  (t) => [uniqueIndex('edge_refs_node_edge').on(t.nodeId, t.edgeId), index('edge_refs_node_seq').on(t.nodeId, t.seq)],
);

/**
 * Conflicts met by commits, written in the transaction of the commit that met them.
 * `fields`, `edges` and `writers` are JSON arrays as text, as on SQLite; `at` is ms since the epoch.
 */
export const conflictJournal = pgTable(
  'conflict_journal',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: bigint('at', { mode: 'number' }).notNull(),
    commitId: text('commit_id').notNull(),
    writer: text('writer').notNull(),
    anchorId: text('anchor_id').notNull(),
    anchorType: text('anchor_type').notNull(),
    kind: text('kind', { enum: ['field', 'edge', 'delete'] }).notNull(),
    resolution: text('resolution').notNull(),
    fields: text('fields').notNull(),
    /** Edge ids the commit added or removed at the anchor; rows journaled before 0.2 have `[]`. */
    edges: text('edges').notNull().default('[]'),
    writers: text('writers').notNull(),
  },
  (t) => [index('conflict_journal_at').on(t.at)],
);

/**
 * Commit counts per writer and interval, flushed by metrics outside commit transactions; the
 * same shape as on SQLite (`data` is the JSON document of storage/stats-record.ts).
 */
export const commitStats = pgTable(
  'commit_stats',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    startAt: bigint('start_at', { mode: 'number' }).notNull(),
    endAt: bigint('end_at', { mode: 'number' }).notNull(),
    writer: text('writer').notNull(),
    data: text('data').notNull(),
  },
  (t) => [index('commit_stats_start').on(t.startAt)],
);

/**
 * One row per commit, inserted first in the commit's own transaction (or by its one-row
 * autocommit statement): a commit whose COMMIT reply was lost is retried with the same id, and
 * its record says whether the first attempt landed and, if so, what it wrote (`result`, JSON
 * text of commit-record.ts). PostgreSQL only: on SQLite a live caller always knows the outcome.
 * `at` (ms since the epoch) is for pruning; BRIN, as rows arrive in time order and each commit
 * should pay as little as possible for the index.
 */
export const commits = pgTable(
  'commits',
  {
    id: text('id').primaryKey(),
    at: bigint('at', { mode: 'number' }).notNull(),
    result: text('result'),
  },
  (t) => [index('commits_at').using('brin', t.at)],
);
