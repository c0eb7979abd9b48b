import { escapeLiteral as lit } from 'pg';
import type { WriteSet, WrittenRow } from '../../core/write-set.ts';
import { writtenRow } from './cas-updates.ts';
import { journalColumns } from './postgres-journal.ts';
import { casManyCtes } from './statements.ts';

/**
 * Sends the attempt's last statements with COMMIT, in one round trip (simple-query protocol),
 * and returns the rows of the statement before COMMIT. `connection` identifies the server
 * session the statements run on.
 */
export type CommitWith = (
  last: (connection: object) => string,
) => Promise<{ rows: ReadonlyArray<Record<string, unknown>>; connection: object }>;

/** A write set of updates alone: its writes fit in one statement. */
export function isUpdatesOnly(ws: WriteSet): boolean {
  return ws.updates.length > 0 && ws.inserts.length === 0 && ws.deletes.length === 0 && ws.endpoints.length === 0;
}

const NAME = 'anchorage_final_cas';
const PARAMS = ['text[]', 'int[]', 'text[]', 'text', 'bigint[]', ...Array(8).fill('text[]'), 'text'];

/**
 * `casMany`'s compare-and-swap and journal rows, and what the commit wrote, into its record
 * ($14), in one statement. The rows are locked and checked, so every CAS matches; should one not,
 * the division by zero aborts the transaction, and the COMMIT sent with it never runs.
 */
const FINAL_SQL = `WITH ${casManyCtes},
   recorded AS (
     UPDATE commits SET result = json_build_object('written',
       (SELECT json_agg(json_build_array(id, version, vv)) FROM cas))::text
     WHERE id = $14 AND 1 / ((SELECT count(*) FROM cas) = cardinality($1::text[]))::int = 1
   )
   SELECT id, version, vv::text AS vv FROM cas`;

/** Server sessions (pg clients) where the statement is prepared. */
const prepared = new WeakSet<object>();

const literal = (value: unknown, type: string): string =>
  Array.isArray(value)
    ? `ARRAY[${value.map((v) => literal(v, type.slice(0, -2))).join(', ')}]::${type}`
    : typeof value === 'number'
      ? `${Math.trunc(value)}::${type}`
      : `${lit(String(value))}::${type}`;

/**
 * The final statement as `EXECUTE` of a statement prepared once per server session, with
 * literal arguments: a simple query (so COMMIT can travel with it) that the server does not plan
 * again every time (a literal statement of this size took ~1 ms to plan, under the row locks).
 */
export function finalCasStatement(connection: object, ws: WriteSet): string {
  const u = ws.updates;
  const args = [
    u.map((x) => x.id),
    u.map((x) => x.expect),
    u.map((x) => JSON.stringify(x.fields)),
    ws.writer,
    ...journalColumns(ws.journal),
    ws.commitId,
  ];
  const execute = `EXECUTE ${NAME}(${args.map((a, i) => literal(a, PARAMS[i] as string)).join(', ')})`;
  return prepared.has(connection) ? execute : `PREPARE ${NAME} (${PARAMS.join(', ')}) AS ${FINAL_SQL}; ${execute}`;
}

/** Sends the final statement with COMMIT; returns the rows written. */
export async function finalCas(ws: WriteSet, commitWith: CommitWith): Promise<Map<string, WrittenRow>> {
  const { rows, connection } = await commitWith((connection) => finalCasStatement(connection, ws));
  prepared.add(connection);
  return new Map(rows.map((r) => [r.id as string, writtenRow(r as { version: number; vv: string })]));
}
