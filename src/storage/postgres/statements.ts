import type { PoolClient, QueryResultRow } from 'pg';
import { JOURNAL_COLUMNS } from './journal-columns.ts';

/**
 * The backend's SQL, as node-postgres named statements: each is parsed and planned once per
 * connection. (Statements that travel with BEGIN or COMMIT are prepared with SQL instead:
 * `server-statements.ts`, used by lock-rows.ts and final-cas.ts.) Every batch statement also
 * filters the table by `= ANY($1)`: PostgreSQL soon plans named statements generically, and a
 * join with `unnest` alone then may scan the whole table. They run on the attempt's own client,
 * inside its transaction (drizzle's prepared statements bind to the pool they were built on, not
 * to a transaction's client). Table and column names are those of `schema.ts`. Batches travel as
 * arrays (`unnest`), so an attempt costs a fixed number of round trips whatever the size of its
 * write set.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

const ROW = 'id, kind, type, root, fields, source, target, version, vv::text AS vv';
// vv[writer] += 1 inside the UPDATE, so the count and the version move in one statement.
export const bumpVv = (writer: string) =>
  `jsonb_set(vv, ARRAY[${writer}::text], to_jsonb(coalesce((vv ->> ${writer}::text)::bigint, 0) + 1))`;
// The advisory-lock key of an id (advisory locks are per database: the schema is in the key).
// Absent reads and root creation serialize on it.
export const idKey = (id: string) => `hashtextextended('anchorage.id:' || current_schema() || ':' || ${id}, 0)`;

const statement = (name: string, text: string): Statement => ({ name: `anchorage_${name}`, text });

// Rows with their nodes' edge lists (ids in edge order), for sessions: one round trip per batch.
const withEdgeIds = (where: string) =>
  `SELECT ${ROW}, CASE WHEN kind = 'node' THEN
     ARRAY(SELECT r.edge_id FROM edge_refs r WHERE r.node_id = anchors.id ORDER BY r.seq) END AS edge_ids
   FROM anchors WHERE ${where}`;

const JOURNAL_NAMES = JOURNAL_COLUMNS.map(([name]) => name).join(', ');
const JOURNAL_VALUES = JOURNAL_COLUMNS.map(([name]) => `j.${name}`).join(', ');
/** The array types of the journal's parameters (a CAS statement's $5 on). */
export const JOURNAL_PARAM_TYPES = JOURNAL_COLUMNS.map(([, type]) => `${type}[]`);
/** A CAS statement's parameter after its four and the journal's arrays: the commit id (then its time). */
export const COMMIT_ID_PARAM = 5 + JOURNAL_COLUMNS.length;

// Journal entries as parallel arrays from parameter $first on (see `journalColumns`).
const journalRows = (first: number) => {
  const params = JOURNAL_COLUMNS.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');
  return `unnest(${params}) WITH ORDINALITY AS j(${JOURNAL_NAMES}, n)`;
};
const insertJournal = (first: number) =>
  `INSERT INTO conflict_journal (${JOURNAL_NAMES}) SELECT ${JOURNAL_VALUES} FROM ${journalRows(first)}`;

// Rows older than $1, then all but the newest $2 of the rest (either may be null: no such rule).
const pruneSql = (table: string, at: string) =>
  `DELETE FROM ${table} WHERE ($1::bigint IS NOT NULL AND ${at} < $1)
     OR seq <= (SELECT seq FROM ${table} WHERE $2::bigint IS NOT NULL AND ($1::bigint IS NULL OR ${at} >= $1)
                ORDER BY seq DESC LIMIT 1 OFFSET $2)`;

// Journal rows ($5 on) written by a CAS statement only if `matched` holds.
const journalIf = (matched: string) =>
  `journaled AS (
     ${insertJournal(5)}
     WHERE ${matched}
     ORDER BY j.n
   )`;

// The record of the commit (id and time after the journal's parameters) with the one row
// written, in commit-record.ts's shape.
const recordOne = `, recorded AS (
     INSERT INTO commits (id, at, result)
     SELECT $${COMMIT_ID_PARAM}, $${COMMIT_ID_PARAM + 1}, json_build_object('written', json_build_array(json_build_array(id, version, vv)))::text FROM cas
   )`;

/**
 * Compare-and-swap of every row in the arrays ($1 ids, $2 expected versions, $3 fields; writer
 * $4) as CTE `cas` (its `vv` still jsonb), and the journal rows ($5 on) only if every row matched.
 */
export const casManyCtes = `cas AS (
     UPDATE anchors AS a SET fields = u.fields, version = a.version + 1, vv = ${bumpVv('$4')}
     FROM unnest($1::text[], $2::int[], $3::text[]) AS u(id, expect, fields)
     WHERE a.id = ANY($1::text[]) AND a.id = u.id AND a.version = u.expect
     RETURNING a.id, a.version, a.vv
   ), ${journalIf('(SELECT count(*) FROM cas) = cardinality($1::text[])')}`;

/** `casManyCtes` for one row: $1 id, $2 expected version, $3 fields (no arrays to join: cheaper). */
export const casOneCtes = `cas AS (
     UPDATE anchors SET fields = $3, version = version + 1, vv = ${bumpVv('$4')}
     WHERE id = $1 AND version = $2 RETURNING id, version, vv
   ), ${journalIf('EXISTS (SELECT 1 FROM cas)')}`;

const casOneSql = (recorded: boolean) =>
  `WITH ${casOneCtes}${recorded ? recordOne : ''}
   SELECT id, version, vv::text AS vv FROM cas`;

export const SQL = {
  rowsByIds: statement('rows_by_ids', `SELECT ${ROW} FROM anchors WHERE id = ANY($1::text[])`),
  rowsWithEdgeIds: statement('rows_with_edge_ids', withEdgeIds('id = ANY($1::text[])')),
  /** `rowsWithEdgeIds` of one id: its plan is generic (the array form was planned anew each time). */
  rowWithEdgeIds: statement('row_with_edge_ids', withEdgeIds('id = $1')),
  edgeIds: statement('edge_ids', 'SELECT edge_id FROM edge_refs WHERE node_id = $1 ORDER BY seq'),
  /** One statement, so the advisory lock (taken first, by the CTE) covers the insert. */
  ensureRoot: statement(
    'ensure_root',
    `WITH l AS (SELECT pg_advisory_xact_lock(${idKey('$1')}))
     INSERT INTO anchors (id, kind, type, root, fields, version, vv)
     SELECT $1, 'node', 'Root', $1, '{}', 1, jsonb_build_object($2::text, 1) FROM l
     ON CONFLICT (id) DO NOTHING`,
  ),
  /**
   * Compare-and-swap of one row, and the journal rows ($5 on) only if it matched: one
   * statement, so on its own (autocommit) it is a whole atomic write. (The hot path: measured
   * several times cheaper than `casMany` with one row.)
   */
  casOne: statement('cas_one', casOneSql(false)),
  /**
   * `casOne` as a whole commit on its own (autocommit): it also records the commit id (`COMMIT_ID_PARAM`, then its time)
   * with what it wrote, if it matched. A retry after a lost reply then misses (the row moved)
   * and goes on to a transaction, which finds the record; should the row match while the id is
   * recorded, the unique key refuses the statement and nothing is written.
   */
  casOneRecorded: statement('cas_one_recorded', casOneSql(true)),
  /** As `casOne`, for every row in the arrays; the journal rows only if every row matched. */
  casMany: statement('cas_many', `WITH ${casManyCtes} SELECT id, version, vv::text AS vv FROM cas`),
  bump: statement(
    'bump',
    `UPDATE anchors SET version = version + 1, vv = ${bumpVv('$2')}
     WHERE id = ANY($1::text[]) RETURNING id, version, vv::text AS vv`,
  ),
  insert: statement(
    'insert',
    `INSERT INTO anchors (id, kind, type, root, fields, source, target, version, vv)
     SELECT i.id, i.kind, i.type, i.root, i.fields, i.source, i.target, 1, jsonb_build_object($8::text, 1)
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       WITH ORDINALITY AS i(id, kind, type, root, fields, source, target, n)
     ORDER BY i.n ON CONFLICT (id) DO NOTHING RETURNING id`,
  ),
  /** In array order, so `seq` follows the write set's creation order. */
  addRefs: statement(
    'add_refs',
    `INSERT INTO edge_refs (node_id, edge_id)
     SELECT r.node_id, r.edge_id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(node_id, edge_id, n)
     ORDER BY r.n ON CONFLICT DO NOTHING`,
  ),
  /** The edges at some nodes; the array form keeps this an index lookup in a generic plan. */
  edgesOfNodes: statement(
    'edges_of_nodes',
    `SELECT a.id, a.source, a.target FROM anchors AS a
     WHERE a.id = ANY(ARRAY(SELECT r.edge_id FROM edge_refs AS r WHERE r.node_id = ANY($1::text[])))
       AND a.kind = 'edge'
     ORDER BY a.id`,
  ),
  dropRefs: statement(
    'drop_refs',
    'DELETE FROM edge_refs WHERE node_id = ANY($1::text[]) AND (node_id, edge_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
  ),
  dropRefsOfNodes: statement('drop_refs_of_nodes', 'DELETE FROM edge_refs WHERE node_id = ANY($1::text[])'),
  deleteRows: statement('delete_rows', 'DELETE FROM anchors WHERE id = ANY($1::text[])'),
  journal: statement('journal', `${insertJournal(1)} ORDER BY j.n`),
  readJournal: statement(
    'read_journal',
    `SELECT at::text AS at, commit_id, writer, anchor_id, anchor_type, kind, resolution, fields, edges, writers
     FROM conflict_journal WHERE at >= $1 ORDER BY seq LIMIT $2`,
  ),
  pruneJournal: statement('prune_journal', pruneSql('conflict_journal', 'at')),
  appendStats: statement(
    'append_stats',
    `INSERT INTO commit_stats (start_at, end_at, writer, data)
     SELECT s.start_at, s.end_at, s.writer, s.data
     FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS s(start_at, end_at, writer, data, n)
     ORDER BY s.n`,
  ),
  readStats: statement(
    'read_stats',
    `SELECT start_at::text AS start_at, end_at::text AS end_at, writer, data
     FROM commit_stats WHERE start_at >= $1 ORDER BY seq LIMIT $2`,
  ),
  pruneStats: statement('prune_stats', pruneSql('commit_stats', 'start_at')),
  commitResult: statement('commit_result', 'SELECT result FROM commits WHERE id = $1'),
  pruneCommits: statement('prune_commits', 'DELETE FROM commits WHERE at < $1'),
} as const;

export type Client = Pick<PoolClient, 'query'>;

/** Runs a named statement on one client (or on the pool: any one of its connections). */
export async function run<R extends QueryResultRow>(client: Client, stmt: Statement, values: readonly unknown[]): Promise<R[]> {
  const result = await client.query<R>({ name: stmt.name, text: stmt.text, values: [...values] });
  return result.rows;
}
