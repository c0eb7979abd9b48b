import type { QueryResult } from 'pg';
import type { AnchorRow } from '../../core/row.ts';
import type { WriteSet } from '../../core/write-set.ts';
import { parseRow, type StoredRecord } from '../parse-row.ts';
import { executeSql, prepareOn, type ServerStatement } from './server-statements.ts';
import { type Client, run, SQL } from './statements.ts';

/** A row locked by the attempt; content (`fields`, `vv`) only where it differs from what was expected. */
export interface LockedRow {
  readonly id: string;
  readonly kind: 'node' | 'edge';
  readonly type: string;
  readonly root: string;
  readonly source: string | null;
  readonly target: string | null;
  readonly version: number;
  readonly fields: string | null;
  readonly vv: string | null;
}

export type Locked = Map<string, LockedRow>;
export type StaleList = Array<{ id: string; current: AnchorRow | null }>;

/** Expectation "whatever is there is stale" (absent reads, new ids), for the lock to return content. */
const ANY = -1;

/**
 * Every id the write set depends on, with the version it expects there (null: none, only a
 * lock; ANY: any row found is stale), so the lock returns the content of stale rows at once.
 */
function expectations(ws: WriteSet): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const want = (id: string, expect: number | null) => {
    const seen = out.get(id);
    if (seen === undefined || seen === null) out.set(id, expect);
    else if (expect !== null && expect !== seen) out.set(id, ANY);
  };
  const inserted = new Set(ws.inserts.map((a) => a.id));
  for (const c of ws.checks) want(c.id, c.expect ?? ANY);
  for (const u of ws.updates) want(u.id, u.expect);
  for (const d of ws.deletes) want(d.id, d.expect);
  for (const e of ws.endpoints) want(e.id, null);
  for (const a of ws.inserts) {
    want(a.id, ANY);
    if (a.kind === 'edge') for (const end of [a.source, a.target]) if (!inserted.has(end)) want(end, null);
  }
  return out;
}

const LOCK_ROWS: ServerStatement = { name: 'anchorage_x_lock_rows', params: ['text[]', 'int[]'], sql: SQL.lockRows.text };
const LOCK_ROW: ServerStatement = { name: 'anchorage_x_lock_row', params: ['text', 'int'], sql: SQL.lockRow.text };
const LOCK_ABSENT: ServerStatement = { name: 'anchorage_x_lock_absent', params: ['text[]'], sql: SQL.lockAbsent.text };

/**
 * Locks the rows the write set depends on (those not in `locked` yet), in id order, so two
 * attempts touching the same rows cannot deadlock, and adds them to `locked`. Ids read as
 * absent get a transaction-scoped advisory lock instead (root creation takes the same one).
 * `lead` statements (SQL text) travel first, in the same round trip (BEGIN, the commit record);
 * returns their results.
 */
export async function lockRows(
  client: Client,
  ws: WriteSet,
  locked: Locked,
  lead: readonly string[] = [],
): Promise<QueryResult[]> {
  const absent = ws.checks.filter((c) => c.expect === null && !locked.has(c.id)).map((c) => c.id);
  const wanted = [...expectations(ws)].filter(([id]) => !locked.has(id));
  const statements = [...lead];
  if (absent.length > 0) statements.push(executeSql(LOCK_ABSENT, [absent]));
  const [one] = wanted;
  if (wanted.length === 1 && one) statements.push(executeSql(LOCK_ROW, one));
  else if (wanted.length > 1) statements.push(executeSql(LOCK_ROWS, [wanted.map(([id]) => id), wanted.map(([, v]) => v)]));
  if (statements.length === 0) return [];
  await prepareOn(client, LOCK_ABSENT, LOCK_ROW, LOCK_ROWS);
  const sent = await client.query(statements.join('; '));
  // One statement answers with its result, several with an array of them.
  const results = (Array.isArray(sent) ? sent : [sent]) as QueryResult[];
  if (wanted.length > 0) for (const r of (results.at(-1) as QueryResult<LockedRow>).rows) locked.set(r.id, r);
  return results.slice(0, lead.length);
}

/** Version checks against the locked rows, all at once, so one rebase sees every stale row. */
export function findStale(ws: WriteSet, locked: Locked): Set<string> {
  const stale = new Set<string>();
  const inserted = new Set(ws.inserts.map((a) => a.id));
  const expectAt = (id: string, expect: number | null) => {
    if ((locked.get(id)?.version ?? null) !== expect) stale.add(id);
  };
  for (const c of ws.checks) expectAt(c.id, c.expect);
  for (const u of ws.updates) expectAt(u.id, u.expect);
  for (const d of ws.deletes) expectAt(d.id, d.expect);
  for (const a of ws.inserts) {
    if (locked.has(a.id)) stale.add(a.id);
    if (a.kind !== 'edge') continue;
    for (const end of [a.source, a.target]) if (!inserted.has(end) && !locked.has(end)) stale.add(end);
  }
  return stale;
}

/** Stale rows as stored now (null: absent): from the lock's content, or read when it has none. */
export async function staleRows(client: Client, ids: Iterable<string>, locked: Locked = new Map()): Promise<StaleList> {
  const wanted = [...new Set(ids)];
  const rows = new Map<string, AnchorRow>();
  const unread: string[] = [];
  for (const id of wanted) {
    const r = locked.get(id);
    if (r?.fields != null && r.vv != null) rows.set(id, parseRow(r as StoredRecord));
    else unread.push(id);
  }
  if (unread.length > 0) {
    for (const rec of await run<StoredRecord>(client, SQL.rowsByIds, [unread])) rows.set(rec.id, parseRow(rec));
  }
  return wanted.map((id) => ({ id, current: rows.get(id) ?? null }));
}
