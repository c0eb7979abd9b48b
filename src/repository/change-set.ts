import type { CommitPlan, PlannedDelete, PlannedUpdate } from '../core/commit-plan.ts';
import { ValidationError } from '../core/errors.ts';
import type { EndpointBase } from '../core/journal.ts';
import { cloneJson, findJsonIssue } from '../core/json.ts';
import type { Fields } from '../core/row.ts';
import type { NewAnchor } from '../core/write-set.ts';
import type { Live } from './live-anchor.ts';
import { checkSize } from './validation.ts';

export interface PlanInput {
  /** The anchors whose staged changes this write carries. */
  readonly selection: Iterable<Live>;
  /** Serializable reads to validate: id → version read (null: read as absent). */
  readonly checks: ReadonlyArray<{ id: string; expect: number | null }>;
  readonly maxAnchorBytes: number;
  /** Every anchor the session holds, to find the bases of endpoints outside the selection. */
  readonly known: (id: string) => Live | undefined;
}

/** Loaded nodes whose edge lists the plan changes without writing them otherwise. */
function endpointsOf(
  selection: readonly Live[],
  inserts: readonly NewAnchor[],
  updates: readonly PlannedUpdate[],
  deletes: readonly PlannedDelete[],
  known: (id: string) => Live | undefined,
): EndpointBase[] {
  const written = new Set([...inserts, ...updates, ...deletes].map((a) => a.id));
  const edgesAt = new Map<string, string[]>();
  const touch = (edge: { id: string; source: string; target: string }) => {
    for (const end of new Set([edge.source, edge.target])) {
      const edges = edgesAt.get(end);
      if (edges) edges.push(edge.id);
      else edgesAt.set(end, [edge.id]);
    }
  };
  for (const a of inserts) if (a.kind === 'edge') touch(a);
  for (const a of selection) if (a.kind === 'edge' && a.destroyed) touch(a);
  const out: EndpointBase[] = [];
  for (const [id, edges] of edgesAt) {
    const live = known(id);
    if (!live?.base || written.has(id)) continue;
    out.push({ id, type: live.type, expect: live.base.version, vv: live.base.vv, edges });
  }
  return out;
}

function checkedFields(live: Live, fields: Fields, maxBytes: number): Fields {
  checkSize(fields, maxBytes, 'fields', live.id);
  return fields;
}

/**
 * Turns staged changes into a commit plan, validating every value that would be written.
 * A refused value throws ValidationError before anything is written.
 */
export function buildPlan(input: PlanInput): CommitPlan {
  const inserts: NewAnchor[] = [];
  const updates: PlannedUpdate[] = [];
  const deletes: PlannedDelete[] = [];
  const selection = [...input.selection];
  const dyingNodes = new Set(selection.filter((a) => a.kind === 'node' && a.destroyed && a.base).map((a) => a.id));

  for (const live of selection) {
    if (live.base === null) {
      const issue = findJsonIssue(live.tracker.target, 'fields');
      if (issue) throw new ValidationError(issue.path, issue.message, { context: { anchorId: live.id } });
      const fields = checkedFields(live, cloneJson(live.tracker.target), input.maxAnchorBytes);
      const common = { id: live.id, type: live.type, root: live.root, fields };
      inserts.push(
        live.kind === 'node'
          ? { kind: 'node', ...common }
          : { kind: 'edge', ...common, source: live.source, target: live.target },
      );
    } else if (live.destroyed) {
      // A deleted node takes its edges with it; deleting them separately would only race the cascade.
      if (live.kind === 'edge' && (dyingNodes.has(live.source) || dyingNodes.has(live.target))) continue;
      deletes.push({ id: live.id, type: live.type, expect: live.base.version, baseVv: live.base.vv });
    } else {
      for (const [key, value] of live.tracker.touched()) {
        if (value === undefined) continue; // removed
        const issue = findJsonIssue(value, `fields.${key}`);
        if (issue) throw new ValidationError(issue.path, issue.message, { context: { anchorId: live.id } });
      }
      const changes = live.tracker.changes();
      if (changes.length === 0) continue;
      const fields = checkedFields(live, cloneJson(live.tracker.target), input.maxAnchorBytes);
      updates.push({ id: live.id, type: live.type, expect: live.base.version, baseVv: live.base.vv, fields, changes });
    }
  }
  return {
    inserts,
    updates,
    deletes,
    checks: input.checks,
    endpoints: endpointsOf(selection, inserts, updates, deletes, input.known),
  };
}

export function isEmptyPlan(plan: CommitPlan): boolean {
  return plan.inserts.length + plan.updates.length + plan.deletes.length + plan.checks.length === 0;
}
