import type { WriteSet, WrittenRow } from '../../core/write-set.ts';
import { casArgs, writtenRow } from './cas-updates.ts';
import { journalColumns } from './journal-columns.ts';
import { executeSql, type ServerStatement, serverStatement } from './server-statements.ts';
import { COMMIT_ID_PARAM, casManyCtes, casOneCtes, JOURNAL_PARAM_TYPES } from './statements.ts';

/**
 * Sends the attempt's last statement (SQL text) with COMMIT, in one round trip (simple-query
 * protocol), and returns that statement's rows.
 */
export type CommitWith = (last: string) => Promise<ReadonlyArray<Record<string, unknown>>>;

/** A write set of updates alone: its writes fit in one statement. */
export function isUpdatesOnly(ws: WriteSet): boolean {
  return ws.updates.length > 0 && ws.inserts.length === 0 && ws.deletes.length === 0 && ws.endpoints.length === 0;
}

// `rows`: how many rows the CAS must have written (SQL).
const finalStatement = (name: string, casCtes: string, first: readonly string[], rows: string): ServerStatement =>
  serverStatement(
    name,
    [...first, 'text', ...JOURNAL_PARAM_TYPES, 'text'],
    `WITH ${casCtes},
   recorded AS (
     UPDATE commits SET result = json_build_object('written',
       (SELECT json_agg(json_build_array(id, version, vv)) FROM cas))::text
     WHERE id = $${COMMIT_ID_PARAM} AND 1 / ((SELECT count(*) FROM cas) = ${rows})::int = 1
   )
   SELECT id, version, vv::text AS vv FROM cas`,
  );

/**
 * The compare-and-swap, its journal rows, and what the commit wrote, into its record (`COMMIT_ID_PARAM`), in
 * one statement: `casOne`'s for one row (measured cheaper on the server than joining arrays),
 * `casMany`'s for more. The rows are locked and checked, so every CAS matches; should one not,
 * the division by zero aborts the transaction, and the COMMIT sent with it never runs. (As literal
 * SQL, planning it took ~1 ms, under the row locks.)
 */
const FINAL_ONE = finalStatement('final_cas_one', casOneCtes, ['text', 'int', 'text'], '1');
const FINAL_MANY = finalStatement('final_cas_many', casManyCtes, ['text[]', 'int[]', 'text[]'], 'cardinality($1::text[])');

/** The statements `finalCas` executes: prepare them on the connection first (`prepareOn`). */
export const FINAL_STATEMENTS = [FINAL_ONE, FINAL_MANY];

/** Sends the final statement of `ws` with COMMIT (`commitWith`); returns the rows written. */
export async function finalCas(ws: WriteSet, commitWith: CommitWith): Promise<Map<string, WrittenRow>> {
  const stmt = ws.updates.length === 1 ? FINAL_ONE : FINAL_MANY;
  const rows = await commitWith(executeSql(stmt, [...casArgs(ws), ...journalColumns(ws.journal), ws.commitId]));
  return new Map(rows.map((r) => [r.id as string, writtenRow(r as { version: number; vv: string })]));
}
