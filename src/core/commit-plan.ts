import { ConflictError } from './errors.ts';
import type { EndpointBase, JournalEntry } from './journal.ts';
import { type FieldChange, type FieldResolution, type PolicyTable, policyFor, rebaseFields } from './merge-policy.ts';
import type { AnchorRow, Fields } from './row.ts';
import { type VersionVector, writersSince } from './version-vector.ts';
import type { NewAnchor, WriteSet } from './write-set.ts';

/** A field change of one existing anchor, with what the rebase needs. */
export interface PlannedUpdate {
  readonly id: string;
  readonly type: string;
  readonly expect: number;
  readonly baseVv: VersionVector;
  /** The fields to write if the row is still at `expect`. */
  readonly fields: Fields;
  readonly changes: readonly FieldChange[];
}

export interface PlannedDelete {
  readonly id: string;
  readonly type: string;
  readonly expect: number;
  readonly baseVv: VersionVector;
}

/** What one commit wants to write, relative to the bases it last saw. Pure data. */
export interface CommitPlan {
  readonly inserts: readonly NewAnchor[];
  readonly updates: readonly PlannedUpdate[];
  readonly deletes: readonly PlannedDelete[];
  readonly checks: ReadonlyArray<{ readonly id: string; readonly expect: number | null }>;
  /** Known endpoints whose edge lists this plan changes, with their bases (for edge-conflict accounting). */
  readonly endpoints: readonly EndpointBase[];
}

/** A conflict met while rebasing, and how it ended; what metrics and journals record. */
export interface ConflictEvent {
  readonly anchorId: string;
  readonly type: string;
  readonly kind: 'field' | 'edge' | 'delete';
  /** `rejected`: the commit failed on it; `exhausted`: still conflicting when the retry budget ran out. */
  readonly resolution: 'rebased' | 'merged' | 'lww' | 'rejected' | 'exhausted';
  readonly fields: readonly string[];
  /** Edge ids this commit added or removed at the anchor (edge conflicts, and connects to a deleted node). */
  readonly edges: readonly string[];
  /** Writers that wrote the anchor since this commit's base, read from the version vectors. */
  readonly writers: readonly string[];
}

export type RebaseOutcome =
  | { readonly ok: true; readonly plan: CommitPlan; readonly events: readonly ConflictEvent[] }
  | { readonly ok: false; readonly error: ConflictError; readonly events: readonly ConflictEvent[] };

export function toWriteSet(
  plan: CommitPlan,
  meta: { readonly writer: string; readonly commitId: string; readonly at: number; readonly journal: readonly JournalEntry[] },
): WriteSet {
  return {
    ...meta,
    endpoints: plan.endpoints,
    checks: plan.checks,
    updates: plan.updates.map(({ id, expect, fields }) => ({ id, expect, fields })),
    deletes: plan.deletes.map(({ id, expect }) => ({ id, expect })),
    inserts: plan.inserts,
  };
}

export interface RebaseContext {
  readonly policies: PolicyTable;
}

const resolutionOf = (r: FieldResolution): ConflictEvent['resolution'] => r;

/** A conflict at `anchor`, naming what was involved (nothing unless given). */
function conflict(
  anchor: { readonly id: string; readonly type: string },
  kind: ConflictEvent['kind'],
  resolution: ConflictEvent['resolution'],
  involved: Partial<Pick<ConflictEvent, 'fields' | 'edges' | 'writers'>> = {},
): ConflictEvent {
  return { anchorId: anchor.id, type: anchor.type, kind, resolution, fields: [], edges: [], writers: [], ...involved };
}

/** The type of a loaded anchor the plan touches (an edge's endpoint is one of these). */
function typeIn(plan: CommitPlan, id: string): string {
  return [...plan.endpoints, ...plan.updates, ...plan.deletes].find((a) => a.id === id)?.type ?? 'unknown';
}

/**
 * Replays a plan onto the rows a failed attempt found stale. Field changes rebase per field
 * (policy decides when both sides changed one); deletes move to the new version (and so also
 * remove edges added since); a change to, or an edge into, a row deleted since fails with
 * `deleted_concurrently`; a stale serializable read fails with `read_conflict`.
 */
export function rebasePlan(
  plan: CommitPlan,
  stale: ReadonlyArray<{ readonly id: string; readonly current: AnchorRow | null }>,
  ctx: RebaseContext,
): RebaseOutcome {
  const current = new Map(stale.map((s) => [s.id, s.current]));
  const events: ConflictEvent[] = [];
  const fail = (error: ConflictError): RebaseOutcome => ({ ok: false, error, events });

  for (const check of plan.checks) {
    if (current.has(check.id)) {
      return fail(
        new ConflictError('read_conflict', `anchor ${check.id} changed after this transaction read it`, {
          anchorId: check.id,
        }),
      );
    }
  }
  for (const insert of plan.inserts) {
    if (insert.kind !== 'edge') continue;
    for (const end of [insert.source, insert.target]) {
      if (current.has(end) && current.get(end) === null) {
        events.push(conflict({ id: end, type: typeIn(plan, end) }, 'delete', 'rejected', { edges: [insert.id] }));
        return fail(
          new ConflictError('deleted_concurrently', `cannot connect to ${end}: it was deleted concurrently`, {
            anchorId: end,
          }),
        );
      }
    }
  }

  const updates: PlannedUpdate[] = [];
  for (const update of plan.updates) {
    if (!current.has(update.id)) {
      updates.push(update);
      continue;
    }
    const row = current.get(update.id) ?? null;
    if (row === null) {
      events.push(conflict(update, 'delete', 'rejected'));
      return fail(
        new ConflictError('deleted_concurrently', `anchor ${update.id} was deleted concurrently`, {
          anchorId: update.id,
          fields: update.changes.map((c) => c.key),
        }),
      );
    }
    const writers = writersSince(update.baseVv, row.vv);
    const rebased = rebaseFields(row.fields, update.changes, (key) => policyFor(ctx.policies, update.type, key));
    if (!rebased.ok) {
      events.push(conflict(update, 'field', 'rejected', { fields: rebased.conflicting, writers }));
      return fail(
        new ConflictError(
          'field_conflict',
          `field ${rebased.conflicting.join(', ')} of ${update.type} ${update.id} was changed concurrently`,
          { anchorId: update.id, fields: rebased.conflicting, writers },
        ),
      );
    }
    for (const { key, resolution } of rebased.resolved) {
      events.push(conflict(update, 'field', resolutionOf(resolution), { fields: [key], writers }));
    }
    if (rebased.resolved.length === 0) {
      events.push(conflict(update, 'field', 'rebased', { writers }));
    }
    updates.push({ ...update, expect: row.version, baseVv: row.vv, fields: rebased.fields });
  }

  const deletes: PlannedDelete[] = [];
  for (const del of plan.deletes) {
    if (!current.has(del.id)) {
      deletes.push(del);
      continue;
    }
    const row = current.get(del.id) ?? null;
    // Already gone: the delete's goal holds; nothing to write.
    if (row === null) continue;
    events.push(conflict(del, 'delete', 'rebased', { writers: writersSince(del.baseVv, row.vv) }));
    deletes.push({ ...del, expect: row.version, baseVv: row.vv });
  }

  return { ok: true, plan: { ...plan, updates, deletes }, events };
}
