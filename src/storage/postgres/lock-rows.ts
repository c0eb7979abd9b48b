import type { ClientBase, QueryResult } from 'pg';
import type { AnchorRow } from '../../core/row.ts';
import type { WriteSet } from '../../core/write-set.ts';
import { parseRow, type StoredRecord } from '../parse-row.ts';
import { executeSql, sendTogether, serverStatement } from './server-statements.ts';
import { type Client, idKey, run, SQL } from './statements.ts';

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

/**
 * What an attempt locked: the rows found, by id, and every id it asked for (found or not), so
 * that a later lock of the same transaction (after a rebase) asks only for new ids.
 */
export class Locked {
  readonly #rows = new Map<string, LockedRow>();
  readonly #asked = new Set<string>();

  /** The row locked under `id`; undefined when it was absent, or not asked for. */
  get(id: string): LockedRow | undefined {
    return this.#rows.get(id);
  }

  /** Whether a row `id` exists and is locked. */
  has(id: string): boolean {
    return this.#rows.has(id);
  }

  ids(): IterableIterator<string> {
    return this.#rows.keys();
  }

  asked(id: string): boolean {
    return this.#asked.has(id);
  }

  add(asked: Iterable<string>, found: Iterable<LockedRow>): void {
    for (const id of asked) this.#asked.add(id);
    for (const row of found) this.#rows.set(row.id, row);
  }
}
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

// Locked columns; `fields` and `vv` only where the version is not the one expected.
const lockedColumns = (expect: string) => `a.id, a.kind, a.type, a.root, a.source, a.target, a.version,
   CASE WHEN ${expect} <> a.version THEN a.fields END AS fields,
   CASE WHEN ${expect} <> a.version THEN a.vv::text END AS vv`;

/**
 * Row locks in one consistent (id) order, so attempts touching the same rows cannot deadlock.
 * `$2` is the version each id is expected at: a row found elsewhere comes back with its content
 * (it is stale, and the rebase needs it), the others with their version only.
 */
const LOCK_ROWS = serverStatement(
  'lock_rows',
  ['text[]', 'int[]'],
  `SELECT ${lockedColumns('w.expect')}
   FROM anchors AS a JOIN unnest($1::text[], $2::int[]) AS w(id, expect) ON a.id = w.id
   WHERE a.id = ANY($1::text[])
   ORDER BY a.id FOR UPDATE OF a`,
);
/** `LOCK_ROWS` of one id: no arrays to join (measured cheaper on the server). */
const LOCK_ROW = serverStatement(
  'lock_row',
  ['text', 'int'],
  `SELECT ${lockedColumns('$2')} FROM anchors AS a WHERE a.id = $1 FOR UPDATE`,
);
/** Advisory locks on ids read as absent, in key order. */
const LOCK_ABSENT = serverStatement(
  'lock_absent',
  ['text[]'],
  `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT ${idKey('id')} AS k FROM unnest($1::text[]) AS id ORDER BY k) AS s`,
);

/** The statements `lockRows` and `lockIds` execute: prepare them on the connection first (`prepareOn`). */
export const LOCK_STATEMENTS = [LOCK_ABSENT, LOCK_ROW, LOCK_ROWS];

/**
 * Locks the rows the write set depends on (those not in `locked` yet), in id order, so two
 * attempts touching the same rows cannot deadlock, and adds them to `locked`. Ids read as
 * absent get a transaction-scoped advisory lock instead (root creation takes the same one).
 * `lead` statements (SQL text) travel first, in the same round trip (BEGIN, the commit record);
 * returns their results.
 */
export async function lockRows(
  client: ClientBase,
  ws: WriteSet,
  locked: Locked,
  lead: readonly string[] = [],
): Promise<QueryResult[]> {
  const absent = ws.checks.filter((c) => c.expect === null && !locked.asked(c.id)).map((c) => c.id);
  const wanted = [...expectations(ws)].filter(([id]) => !locked.asked(id));
  const statements = [...lead];
  if (absent.length > 0) statements.push(executeSql(LOCK_ABSENT, [absent]));
  const [one] = wanted;
  if (wanted.length === 1 && one) statements.push(executeSql(LOCK_ROW, one));
  else if (wanted.length > 1) statements.push(executeSql(LOCK_ROWS, [wanted.map(([id]) => id), wanted.map(([, v]) => v)]));
  if (statements.length === 0) return [];
  const results = await sendTogether(client, statements);
  const found = wanted.length > 0 ? (results.at(-1) as QueryResult<LockedRow>).rows : [];
  locked.add([...absent, ...wanted.map(([id]) => id)], found);
  return results.slice(0, lead.length);
}

/** Locks rows by id (in id order) that an attempt reaches while it writes (a delete's cascade); returns those found. */
export async function lockIds(client: ClientBase, ids: readonly string[], locked: Locked): Promise<LockedRow[]> {
  const rows = (await client.query<LockedRow>(executeSql(LOCK_ROWS, [ids, ids.map(() => null)]))).rows;
  locked.add(ids, rows);
  return rows;
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
export async function staleRows(client: Client, ids: Iterable<string>, locked = new Locked()): Promise<StaleList> {
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
