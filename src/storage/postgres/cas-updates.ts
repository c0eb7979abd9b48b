import type { JournalEntry } from '../../core/journal.ts';
import type { WriteSet, WrittenRow } from '../../core/write-set.ts';
import { journalColumns } from './journal-columns.ts';
import { type Client, run, SQL } from './statements.ts';

/** A written row as the statements return it (vector as JSON text). */
export function writtenRow(r: { version: number; vv: string }): WrittenRow {
  return { version: r.version, vv: JSON.parse(r.vv) as Record<string, number> };
}

/**
 * The CAS statements' first arguments ($1…$4): id, expected version, fields, writer; for more
 * than one update, the first three as parallel arrays (`casMany`).
 */
export function casArgs(ws: WriteSet): unknown[] {
  const u = ws.updates;
  const [one] = u;
  return u.length === 1 && one
    ? [one.id, one.expect, JSON.stringify(one.fields), ws.writer]
    : [u.map((x) => x.id), u.map((x) => x.expect), u.map((x) => JSON.stringify(x.fields)), ws.writer];
}

/**
 * Compare-and-swap of the write set's updates (`UPDATE … WHERE id AND version`), with `journal`
 * rows written by the same statement only if every row matched. Returns the rows written: fewer
 * than the updates means a miss (and, outside a transaction, nothing was written). `recorded`
 * (one update, autocommit): the statement also records the commit id (see `casOneRecorded`).
 */
export async function casUpdates(
  client: Client,
  ws: WriteSet,
  journal: readonly JournalEntry[],
  recorded = false,
): Promise<Map<string, WrittenRow>> {
  const written = new Map<string, WrittenRow>();
  if (ws.updates.length === 0) return written;
  const u = ws.updates;
  const stmt = u.length > 1 ? SQL.casMany : recorded ? SQL.casOneRecorded : SQL.casOne;
  const record = recorded ? [ws.commitId, Math.round(ws.at)] : [];
  const rows = await run<{ id: string; version: number; vv: string }>(client, stmt, [
    ...casArgs(ws),
    ...journalColumns(journal),
    ...record,
  ]);
  for (const r of rows) written.set(r.id, writtenRow(r));
  return written;
}
