import type { PoolClient, QueryResult } from 'pg';
import { StorageError } from '../../core/errors.ts';
import type { JournalEntry } from '../../core/journal.ts';
import type { WriteResult, WriteSet, WrittenRow } from '../../core/write-set.ts';
import { sendTogether, sqlString } from './server-statements.ts';
import { run, SQL } from './statements.ts';

type Landed = Extract<WriteResult, { ok: true }>;

/**
 * What a commit wrote, as its record keeps it (JSON text). `casOneRecorded` builds the same
 * shape in SQL, with `written` only.
 */
interface StoredResult {
  readonly written: ReadonlyArray<readonly [id: string, version: number, vv: Record<string, number>]>;
  readonly deleted?: readonly string[];
  readonly edgeConflicts?: readonly JournalEntry[];
}

export function encodeResult(result: Landed): string {
  const stored: StoredResult = {
    written: [...result.written].map(([id, w]) => [id, w.version, w.vv] as const),
    deleted: result.deleted,
    edgeConflicts: result.edgeConflicts,
  };
  return JSON.stringify(stored);
}

export function decodeResult(text: string): Landed {
  const stored = JSON.parse(text) as StoredResult;
  const written = new Map<string, WrittenRow>(stored.written.map(([id, version, vv]) => [id, { version, vv }]));
  return { ok: true, written, deleted: stored.deleted ?? [], edgeConflicts: stored.edgeConflicts ?? [] };
}

/**
 * The statements that open an attempt's transaction and record its commit id, first of all (a
 * simple query: they travel with the attempt's first statement, in one round trip). The record
 * comes before any version check, so a retry never rebases onto its own write.
 */
export function beginRecordedSql(ws: WriteSet): string[] {
  return [
    'BEGIN',
    `INSERT INTO commits (id, at) VALUES (${sqlString(ws.commitId)}, ${Math.round(ws.at)}) ON CONFLICT (id) DO NOTHING`,
  ];
}

/**
 * Given the record insert's result: undefined when it recorded the id (the attempt goes on).
 * Otherwise the id was recorded already, by an earlier attempt of this commit that landed (the
 * insert waited for that attempt's transaction while it was still in flight): what it wrote, and
 * the caller writes nothing.
 */
export async function landedBefore(
  client: PoolClient,
  ws: WriteSet,
  record: QueryResult | undefined,
): Promise<Landed | undefined> {
  if (record?.rowCount === 1) return undefined;
  const [row] = await run<{ result: string | null }>(client, SQL.commitResult, [ws.commitId]);
  // Every path that records a commit writes its result in the same transaction.
  if (row?.result == null) throw new StorageError(`commit ${ws.commitId} is recorded without its result`);
  return decodeResult(row.result);
}

/** Writes what the attempt wrote into its commit record, and commits, in one round trip. */
export async function commitRecorded(client: PoolClient, commitId: string, result: Landed): Promise<void> {
  await sendTogether(client, [
    `UPDATE commits SET result = ${sqlString(encodeResult(result))} WHERE id = ${sqlString(commitId)}`,
    'COMMIT',
  ]);
}
