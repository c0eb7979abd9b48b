import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * One row per anchor. `fields` and `vv` are JSON text. A node's edge list is not in its row:
 * it lives in `edge_refs`, so adding an edge to a node of any degree writes two small rows.
 */
export const anchors = sqliteTable(
  'anchors',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['node', 'edge'] }).notNull(),
    type: text('type').notNull(),
    root: text('root').notNull(),
    fields: text('fields').notNull(),
    source: text('source'),
    target: text('target'),
    version: integer('version').notNull(),
    vv: text('vv').notNull(),
  },
  (t) => [index('anchors_type_id').on(t.type, t.id)],
);

/** Edge lists: one row per (node, edge); `seq` (the rowid) gives creation order. */
export const edgeRefs = sqliteTable(
  'edge_refs',
  {
    seq: integer('seq').primaryKey(),
    nodeId: text('node_id').notNull(),
    edgeId: text('edge_id').notNull(),
  },
  (t) => [uniqueIndex('edge_refs_node_edge').on(t.nodeId, t.edgeId), index('edge_refs_node_seq').on(t.nodeId, t.seq)],
);

/**
 * Conflicts met by commits, written in the transaction of the commit that met them, so a
 * dashboard can be rebuilt later from the file alone. `fields`, `edges` and `writers` are JSON arrays.
 */
export const conflictJournal = sqliteTable(
  'conflict_journal',
  {
    seq: integer('seq').primaryKey(),
    at: integer('at').notNull(),
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
 * Commit counts per writer and interval (about a second), flushed by metrics outside commit
 * transactions so a commit pays nothing for them; `data` is JSON (see storage/stats-record.ts).
 * With the journal, they give a dashboard its ratios, rates and percentiles after the fact.
 */
export const commitStats = sqliteTable(
  'commit_stats',
  {
    seq: integer('seq').primaryKey(),
    startAt: integer('start_at').notNull(),
    endAt: integer('end_at').notNull(),
    writer: text('writer').notNull(),
    data: text('data').notNull(),
  },
  (t) => [index('commit_stats_start').on(t.startAt)],
);

/** Rows `anchorage check --repair` took out of `anchors` because they no longer parse, kept for a person. */
export const quarantine = sqliteTable('quarantine', {
  seq: integer('seq').primaryKey(),
  anchorId: text('anchor_id').notNull(),
  /** The whole stored record, as JSON. */
  record: text('record').notNull(),
  reason: text('reason').notNull(),
  at: integer('at').notNull(),
});
