import { escapeLiteral, type PoolClient, type QueryResult } from 'pg';
import { StorageError } from '../../core/errors.ts';
import type { JournalEntry } from '../../core/journal.ts';
import type { WriteResult, WriteSet, WrittenRow } from '../../core/write-set.ts';
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
 * Opens the attempt's transaction and records its commit id, first of all, in one round trip
 * (a simple query: BEGIN cannot share an extended-protocol message). When the id is recorded
 * already, an earlier attempt of this commit landed (the insert waits for that attempt's
 * transaction while it is still in flight): returns what it wrote, and the caller writes nothing.
 * The record comes before any version check, so a retry never rebases onto its own write.
 */
export async function beginRecorded(client: PoolClient, ws: WriteSet): Promise<Landed | undefined> {
  const begun = (await client.query(
    `BEGIN; INSERT INTO commits (id, at) VALUES (${escapeLiteral(ws.commitId)}, ${Math.round(ws.at)})
     ON CONFLICT (id) DO NOTHING RETURNING id`,
  )) as unknown as QueryResult[];
  if (begun[1]?.rowCount === 1) return undefined;
  const [record] = await run<{ result: string | null }>(client, SQL.commitResult, [ws.commitId]);
  // Every path that records a commit writes its result in the same transaction.
  if (record?.result == null) throw new StorageError(`commit ${ws.commitId} is recorded without its result`);
  return decodeResult(record.result);
}

/** Writes what the attempt wrote into its commit record, and commits, in one round trip. */
export async function commitRecorded(client: PoolClient, commitId: string, result: Landed): Promise<void> {
  await client.query(
    `UPDATE commits SET result = ${escapeLiteral(encodeResult(result))} WHERE id = ${escapeLiteral(commitId)}; COMMIT`,
  );
}
