import type { ConflictEvent } from './commit-plan.ts';
import { type VersionVector, writersSince } from './version-vector.ts';

/** One resolved (or rejected) conflict, as the database journals it beside the commit. */
export interface JournalEntry extends ConflictEvent {
  readonly commitId: string;
  /** Milliseconds since the epoch, from the repository's clock. */
  readonly at: number;
  /** The writer whose commit met the conflict. */
  readonly writer: string;
}

/** An endpoint this write set adds or removes edges at, with the base the session last saw. */
export interface EndpointBase {
  readonly id: string;
  readonly type: string;
  readonly expect: number;
  readonly vv: VersionVector;
  /** The edges this write set adds or removes at it. */
  readonly edges: readonly string[];
}

/**
 * The journal entry for an endpoint that other writers changed since the session's base: its
 * edge list was rebased in place (edges merge, so the write still goes through). `bumped` is the
 * endpoint's row after this write set's own bump, which added one to `meta.writer`'s count.
 */
export function edgeRebased(
  base: EndpointBase,
  bumped: { readonly version: number; readonly vv: VersionVector },
  meta: { readonly commitId: string; readonly at: number; readonly writer: string },
): JournalEntry | undefined {
  if (bumped.version - 1 === base.expect) return undefined;
  // Undo our own bump, so another session of this process that raced us still counts.
  const before = { ...bumped.vv, [meta.writer]: (bumped.vv[meta.writer] ?? 1) - 1 };
  return {
    ...meta,
    anchorId: base.id,
    type: base.type,
    kind: 'edge',
    resolution: 'rebased',
    fields: [],
    edges: base.edges,
    writers: writersSince(base.vv, before),
  };
}

/**
 * What a commit that ran out of retries journals: one `exhausted` entry per anchor and kind it
 * had rebased, with every field, edge and writer involved (those rebases were never written).
 */
export function exhaustedEntries(pending: readonly JournalEntry[], at: number): JournalEntry[] {
  const byAnchor = new Map<string, JournalEntry>();
  for (const e of pending) {
    const key = `${e.kind}\u0000${e.anchorId}`;
    const seen = byAnchor.get(key);
    byAnchor.set(key, {
      ...e,
      at,
      resolution: 'exhausted',
      fields: [...new Set([...(seen?.fields ?? []), ...e.fields])],
      edges: [...new Set([...(seen?.edges ?? []), ...e.edges])],
      writers: [...new Set([...(seen?.writers ?? []), ...e.writers])].sort(),
    });
  }
  return [...byAnchor.values()];
}
