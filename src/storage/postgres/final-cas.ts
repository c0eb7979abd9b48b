import { escapeLiteral as lit } from 'pg';
import type { JournalEntry } from '../../core/journal.ts';
import type { WriteSet, WrittenRow } from '../../core/write-set.ts';
import { writtenRow } from './cas-updates.ts';
import { bumpVv } from './statements.ts';

/** The attempt's last statement, sent with COMMIT in one round trip; returns that statement's rows. */
export type CommitWith = (lastStatement: string) => Promise<ReadonlyArray<Record<string, unknown>>>;

/** A write set of updates alone: its writes fit in one statement. */
export function isUpdatesOnly(ws: WriteSet): boolean {
  return ws.updates.length > 0 && ws.inserts.length === 0 && ws.deletes.length === 0 && ws.endpoints.length === 0;
}

const journalValues = (entries: readonly JournalEntry[]) =>
  entries
    .map((e) =>
      [
        String(Math.round(e.at)),
        ...[e.commitId, e.writer, e.anchorId, e.type, e.kind, e.resolution].map(lit),
        lit(JSON.stringify(e.fields)),
        lit(JSON.stringify(e.writers)),
      ].join(', '),
    )
    .map((row) => `(${row})`)
    .join(', ');

/**
 * The compare-and-swap of every update, the rebase's journal rows and what the commit wrote (into
 * its record), as one statement of literals — simple-query protocol, so COMMIT can travel with it.
 * Sent while the attempt holds its rows' locks, it saves a round trip under them: a hot row is
 * held for the rebase and this one trip, where `SELECT … FOR UPDATE` by hand holds it for an
 * UPDATE and a COMMIT. The rows are locked and checked, so every CAS matches; should one not,
 * the division by zero aborts the transaction, and the COMMIT sent with it never runs.
 */
export function finalCasStatement(ws: WriteSet): string {
  const n = ws.updates.length;
  const values = ws.updates.map((u) => `(${lit(u.id)}, ${Math.trunc(u.expect)}, ${lit(JSON.stringify(u.fields))})`);
  const journal =
    ws.journal.length === 0
      ? ''
      : `journaled AS (
     INSERT INTO conflict_journal (at, commit_id, writer, anchor_id, anchor_type, kind, resolution, fields, writers)
     SELECT * FROM (VALUES ${journalValues(ws.journal)}) AS j
   ),`;
  return `WITH v(id, expect, fields) AS (VALUES ${values.join(', ')}),
   cas AS (
     UPDATE anchors SET fields = v.fields, version = anchors.version + 1, vv = ${bumpVv(lit(ws.writer))}
     FROM v WHERE anchors.id = v.id AND anchors.version = v.expect RETURNING anchors.id, anchors.version, anchors.vv
   ), ${journal}
   recorded AS (
     UPDATE commits SET result = json_build_object('written',
       (SELECT json_agg(json_build_array(id, version, vv)) FROM cas))::text
     WHERE id = ${lit(ws.commitId)} AND 1 / ((SELECT count(*) FROM cas) = ${n})::int = 1
   )
   SELECT id, version, vv::text AS vv FROM cas`;
}

/** The rows the final statement wrote. */
export function writtenBy(rows: ReadonlyArray<Record<string, unknown>>): Map<string, WrittenRow> {
  return new Map(rows.map((r) => [r.id as string, writtenRow(r as { version: number; vv: string })]));
}
