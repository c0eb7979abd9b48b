import type { ClientBase } from 'pg';
import type { NewAnchor, WriteResult, WriteSet, WrittenRow } from '../../core/write-set.ts';
import { nodesFirst } from '../apply-order.ts';
import { EndpointWatch } from '../endpoint-watch.ts';
import type { RebaseInPlace } from '../storage-port.ts';
import { casUpdates, writtenRow } from './cas-updates.ts';
import { type CommitWith, finalCas, isUpdatesOnly } from './final-cas.ts';
import { findStale, type Locked, type LockedRow, lockIds, lockRows, staleRows } from './lock-rows.ts';
import { writeJournal } from './postgres-journal.ts';
import { type Client, run, SQL } from './statements.ts';

interface EdgeEnds {
  id: string;
  source: string | null;
  target: string | null;
}

type Written = Map<string, WrittenRow>;

const unique = (ids: Iterable<string>) => [...new Set(ids)];

/** Inserts rows (nodes first) and their edge-list entries; returns ids another writer created first. */
async function insertRows(client: Client, ws: WriteSet, written: Written, moved: Set<string>): Promise<string[]> {
  if (ws.inserts.length === 0) return [];
  const rows = nodesFirst(ws.inserts);
  const col = (f: (a: NewAnchor) => string | null) => rows.map(f);
  const edgeOf = (a: NewAnchor) => (a.kind === 'edge' ? a : undefined);
  const params = [
    col((a) => a.id),
    col((a) => a.kind),
    col((a) => a.type),
    col((a) => a.root),
    col((a) => JSON.stringify(a.fields)),
    col((a) => edgeOf(a)?.source ?? null),
    col((a) => edgeOf(a)?.target ?? null),
    ws.writer,
  ];
  const created = new Set((await run<{ id: string }>(client, SQL.insert, params)).map((r) => r.id));
  const lost = rows.filter((a) => !created.has(a.id)).map((a) => a.id);
  if (lost.length > 0) return lost;
  const refs: Array<[string, string]> = [];
  for (const a of rows) {
    written.set(a.id, { version: 1, vv: { [ws.writer]: 1 } });
    if (a.kind !== 'edge') continue;
    for (const end of unique([a.source, a.target])) {
      refs.push([end, a.id]);
      moved.add(end);
    }
  }
  if (refs.length > 0) await run(client, SQL.addRefs, [refs.map((r) => r[0]), refs.map((r) => r[1])]);
  return [];
}

/** Deletes rows; a node takes its edges with it, from both endpoints' edge lists. Returns every id deleted. */
async function deleteRows(client: ClientBase, ws: WriteSet, locked: Locked, moved: Set<string>): Promise<string[]> {
  if (ws.deletes.length === 0) return [];
  const targets = ws.deletes.map((d) => locked.get(d.id) as LockedRow);
  const nodes = targets.filter((r) => r.kind === 'node').map((r) => r.id);
  const direct: EdgeEnds[] = targets.filter((r) => r.kind === 'edge');
  const cascade = nodes.length > 0 ? await run<EdgeEnds>(client, SQL.edgesOfNodes, [nodes]) : [];
  // The cascade (and the far ends of deleted edges) reach rows not locked yet: lock them in id
  // order too, and keep the cascade edges still there once locked (a concurrent disconnect may
  // have taken one).
  const reached = [...cascade, ...direct].flatMap((e) => [e.id, e.source, e.target]);
  const more = unique(reached.filter((id): id is string => id !== null && !locked.has(id)));
  const lockedMore = more.length > 0 ? await lockIds(client, more, locked) : [];
  const stillThere = new Set([...locked.ids(), ...lockedMore.map((r) => r.id)]);
  const edges = new Map<string, EdgeEnds>();
  for (const e of [...cascade, ...direct]) if (stillThere.has(e.id)) edges.set(e.id, e);
  const ends = (e: EdgeEnds) => unique([e.source, e.target].filter((id): id is string => id !== null));
  const refs = [...edges.values()].flatMap((e) => ends(e).map((end) => [end, e.id] as const));
  for (const [end] of refs) moved.add(end);
  if (refs.length > 0) await run(client, SQL.dropRefs, [refs.map((r) => r[0]), refs.map((r) => r[1])]);
  if (nodes.length > 0) await run(client, SQL.dropRefsOfNodes, [nodes]);
  const deleted = unique([...edges.keys(), ...nodes]);
  await run(client, SQL.deleteRows, [deleted]);
  return deleted;
}

/**
 * One attempt of a write set, inside a transaction the caller opened on `client`. Locks every
 * row it depends on first, in id order (those not in `locked` yet: the caller may have locked
 * them in its opening trip), and checks all versions under those locks. When a check misses and
 * `rebase` is given, it rebases onto the stale rows while still holding the locks and goes on
 * with the rebased write set (a writer on a hot row is then never starved); otherwise it
 * writes nothing and returns the stale rows, and the caller rolls back. Then it writes:
 * compare-and-swap updates (`WHERE id AND version`), inserts with their edge-list rows, deletes
 * with their cascade, one version bump per endpoint whose edge list moved, journal rows.
 */
export async function applyWriteSet(
  client: ClientBase,
  first: WriteSet,
  locked: Locked,
  rebase?: RebaseInPlace,
  commitWith?: CommitWith,
): Promise<WriteResult> {
  let ws = first;
  await lockRows(client, ws, locked);
  let stale = findStale(ws, locked);
  if (stale.size > 0) {
    const current = await staleRows(client, stale, locked);
    const next = rebase?.(current);
    if (!next) return { ok: false, stale: current };
    ws = next;
    await lockRows(client, ws, locked);
    stale = findStale(ws, locked);
    if (stale.size > 0) return { ok: false, stale: await staleRows(client, stale, locked) };
  }

  // Updates alone (a read-modify-write): the writes go with COMMIT, one round trip under the locks.
  if (commitWith && isUpdatesOnly(ws)) {
    const written = await finalCas(ws, commitWith);
    return { ok: true, written, deleted: [], edgeConflicts: [] };
  }
  // Journal rows go with the CAS statement when there is one; edge ones (below) at the end.
  const written: Written = await casUpdates(client, ws, ws.journal);
  const missed = ws.updates.filter((u) => !written.has(u.id)).map((u) => u.id);
  if (missed.length > 0) return { ok: false, stale: await staleRows(client, missed) };
  const moved = new Set<string>();
  const taken = await insertRows(client, ws, written, moved);
  if (taken.length > 0) return { ok: false, stale: await staleRows(client, taken) };
  const deleted = await deleteRows(client, ws, locked, moved);

  // Each endpoint whose edge list moved gets one new version per write set (rows already
  // written by this set have theirs; deleted rows need none).
  const gone = new Set(deleted);
  const bump = [...moved].filter((id) => !written.has(id) && !gone.has(id));
  const watch = new EndpointWatch(ws);
  if (bump.length > 0) {
    for (const r of await run<{ id: string; version: number; vv: string }>(client, SQL.bump, [bump, ws.writer])) {
      const w = writtenRow(r);
      written.set(r.id, w);
      watch.bumped(r.id, w);
    }
  }
  await writeJournal(client, ws.updates.length > 0 ? watch.entries : watch.journal());
  return { ok: true, written, deleted, edgeConflicts: watch.entries };
}
