import type { ChainAnomaly, CheckReport, CounterDrift, DanglingRef, DuplicateGroup, LostAnchor } from './check-report.ts';
import type { GraphSnapshot } from './graph-snapshot.ts';
import type { HistoryEntry, Increment, VersionStep } from './history-entry.ts';

export interface CheckOptions {
  /** Node types a root may own at most one of (the seed's `UserProfile`). */
  readonly uniquePerRoot?: readonly string[];
  /**
   * What writes cut off by a crash before their acknowledgement may have done: each may be in
   * the database or not, so an anchor one deleted is not lost when missing, and a counter may
   * be off its acknowledged sum by at most their increments.
   */
  readonly unacknowledged?: { readonly deleted: readonly string[]; readonly increments: readonly Increment[] };
  /**
   * The history records every row each write changed, each step one version (anchorage's
   * write receipts), and no write went unacknowledged: then an anchor's acknowledged steps must
   * join up to its stored version, and a version no step made is a write nobody acknowledged.
   */
  readonly completeChains?: boolean;
}

/**
 * Compares acknowledged operations with the final database. An acknowledged anchor is expected
 * present unless an acknowledged operation deleted it or, for an edge, one of its endpoints
 * (a node's edges go with it). Version chains are checked as far as the history shows them:
 * writes that the history does not record (a cascade bumping an endpoint it never loaded) may
 * skip versions without counting as a gap, unless `completeChains` says the history has them all.
 */
export function checkHistory(entries: readonly HistoryEntry[], db: GraphSnapshot, options: CheckOptions = {}): CheckReport {
  const deleted = new Set(entries.flatMap((e) => e.deleted));
  const maybeDeleted = new Set([...deleted, ...(options.unacknowledged?.deleted ?? [])]);
  return {
    lost: findLost(entries, db, maybeDeleted),
    zombies: [...deleted].filter((id) => db.rows.has(id)).sort(),
    dangling: findDangling(db),
    duplicates: findDuplicates(db, options.uniquePerRoot ?? []),
    counterDrift: findDrift(entries, db, deleted, options.unacknowledged?.increments ?? []),
    versionChains: findBrokenChains(entries, db, deleted, options.completeChains ?? false),
  };
}

function findLost(entries: readonly HistoryEntry[], db: GraphSnapshot, deleted: ReadonlySet<string>): LostAnchor[] {
  const lost: LostAnchor[] = [];
  for (const entry of entries) {
    for (const a of entry.created) {
      const gone = deleted.has(a.id) || (a.kind === 'edge' && (deleted.has(a.source) || deleted.has(a.target)));
      if (gone) continue;
      const at = { id: a.id, kind: a.kind, operation: entry.operation, process: entry.process };
      if (!db.rows.has(a.id)) lost.push({ ...at, reason: 'missing' });
      else if (a.kind === 'edge' && ![a.source, a.target].every((end) => db.edgeLists.get(end)?.includes(a.id))) {
        lost.push({ ...at, reason: 'unlisted' });
      }
    }
  }
  return lost;
}

function findDangling(db: GraphSnapshot): DanglingRef[] {
  const out: DanglingRef[] = [];
  for (const [node, ids] of db.edgeLists) {
    for (const id of ids) {
      const row = db.rows.get(id);
      if (!row) out.push({ id, node, reason: 'unresolved' });
      else if (row.kind !== 'edge') out.push({ id, node, reason: 'not_an_edge' });
      else if (row.source !== node && row.target !== node) out.push({ id, node, reason: 'not_incident' });
    }
  }
  for (const row of db.rows.values()) {
    if (row.kind !== 'edge') continue;
    for (const end of new Set([row.source, row.target])) {
      if (db.rows.get(end)?.kind !== 'node') out.push({ id: row.id, node: end, reason: 'endpoint_missing' });
      else if (!db.edgeLists.get(end)?.includes(row.id)) out.push({ id: row.id, node: end, reason: 'unlisted' });
    }
  }
  return out;
}

function findDuplicates(db: GraphSnapshot, types: readonly string[]): DuplicateGroup[] {
  const groups = new Map<string, DuplicateGroup & { ids: string[] }>();
  for (const row of db.rows.values()) {
    if (row.kind !== 'node' || !types.includes(row.type)) continue;
    const key = JSON.stringify([row.root, row.type]);
    const group = groups.get(key) ?? { root: row.root, type: row.type, ids: [] };
    group.ids.push(row.id);
    groups.set(key, group);
  }
  return [...groups.values()].filter((g) => g.ids.length > 1);
}

function findDrift(
  entries: readonly HistoryEntry[],
  db: GraphSnapshot,
  deleted: ReadonlySet<string>,
  uncertain: readonly Increment[],
): CounterDrift[] {
  // Per counter: the acknowledged sum, widened to [low, high] by increments that may have landed.
  const expected = new Map<string, { id: string; field: string; low: number; high: number }>();
  const add = (inc: Increment, sure: boolean) => {
    const key = JSON.stringify([inc.id, inc.field]);
    const c = expected.get(key) ?? { id: inc.id, field: inc.field, low: 0, high: 0 };
    c.low += sure ? inc.by : Math.min(0, inc.by);
    c.high += sure ? inc.by : Math.max(0, inc.by);
    expected.set(key, c);
  };
  for (const inc of entries.flatMap((e) => e.increments)) add(inc, true);
  for (const inc of uncertain) add(inc, false);
  const out: CounterDrift[] = [];
  for (const { id, field, low, high } of expected.values()) {
    const row = db.rows.get(id);
    if (!row || deleted.has(id)) continue; // a missing anchor is reported as lost, not as drift
    const actual = Number(row.fields[field] ?? 0);
    if (actual < low || actual > high) out.push({ id, field, expected: actual < low ? low : high, actual });
  }
  return out;
}

function findBrokenChains(
  entries: readonly HistoryEntry[],
  db: GraphSnapshot,
  deleted: ReadonlySet<string>,
  complete: boolean,
): ChainAnomaly[] {
  const steps = new Map<string, VersionStep[]>();
  for (const step of entries.flatMap((e) => e.anchors)) steps.set(step.id, [...(steps.get(step.id) ?? []), step]);
  const out: ChainAnomaly[] = [];
  for (const [id, chain] of steps) {
    const claims = new Map<number, number>();
    for (const s of chain) {
      claims.set(s.committed, (claims.get(s.committed) ?? 0) + 1);
      if (s.committed <= s.base)
        out.push({ id, kind: 'gap', version: s.committed, detail: `a write went from ${s.base} to ${s.committed}` });
    }
    for (const [version, n] of claims) {
      if (n > 1) out.push({ id, kind: 'duplicate', version, detail: `${n} acknowledged writes made version ${version}` });
    }
    const row = db.rows.get(id);
    const newest = Math.max(...chain.map((s) => s.committed));
    if (row && !deleted.has(id) && row.version < newest) {
      out.push({
        id,
        kind: 'gap',
        version: row.version,
        detail: `stored version ${row.version} is behind acknowledged ${newest}`,
      });
    }
    if (complete) out.push(...unacknowledgedVersions(id, chain, row && !deleted.has(id) ? row.version : undefined));
  }
  return out;
}

/** Versions of an anchor no acknowledged step made, between its first step and its stored version. */
function unacknowledgedVersions(id: string, chain: readonly VersionStep[], stored: number | undefined): ChainAnomaly[] {
  const out: ChainAnomaly[] = [];
  const made = [...new Map(chain.map((s) => [s.committed, s])).values()].sort((a, b) => a.committed - b.committed);
  for (let i = 1; i < made.length; i++) {
    const [prev, next] = [made[i - 1] as VersionStep, made[i] as VersionStep];
    if (next.base !== prev.committed) {
      out.push({
        id,
        kind: 'gap',
        version: prev.committed + 1,
        detail: `versions ${prev.committed + 1}–${next.base} were written by no acknowledged write`,
      });
    }
  }
  const last = made.at(-1);
  if (last && stored !== undefined && stored > last.committed) {
    out.push({
      id,
      kind: 'gap',
      version: last.committed + 1,
      detail: `stored version ${stored} is ahead of the last acknowledged ${last.committed}: a write nobody acknowledged`,
    });
  }
  return out;
}
