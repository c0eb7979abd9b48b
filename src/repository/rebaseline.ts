import type { Committed } from './commit-loop.ts';
import type { Live } from './live-anchor.ts';

/**
 * After a successful write, what was written is the new base (DESIGN §3.6): written anchors
 * take their new version and fields, consumed edge changes leave the staging, deleted anchors
 * leave the identity map (and are known absent).
 */
export function rebaseline(anchors: Map<string, Live>, absent: Set<string>, c: Committed): void {
  const rewritten = new Set<string>();
  for (const a of [...c.plan.inserts, ...c.plan.updates]) {
    const live = anchors.get(a.id);
    const w = c.written.get(a.id);
    if (!live || !w) continue;
    rewritten.add(a.id);
    live.base = w;
    live.tracker.rebaseline(a.fields);
  }
  for (const a of c.plan.inserts) {
    if (a.kind !== 'edge') continue;
    for (const end of [a.source, a.target]) {
      const node = anchors.get(end);
      if (node?.kind !== 'node') continue;
      node.addedEdges = node.addedEdges?.filter((id) => id !== a.id);
      if (node.storedEdgeIds && !node.storedEdgeIds.includes(a.id)) node.storedEdgeIds.push(a.id);
    }
  }
  for (const id of c.deleted) {
    const live = anchors.get(id);
    anchors.delete(id);
    absent.add(id);
    const ends = live?.kind === 'edge' ? [live.source, live.target] : [];
    for (const end of ends) {
      const node = anchors.get(end);
      if (node?.kind !== 'node') continue;
      node.removedEdges?.delete(id);
      if (node.storedEdgeIds) node.storedEdgeIds = node.storedEdgeIds.filter((e) => e !== id);
    }
  }
  // Endpoints whose edge list moved: the new version is a base only if nobody else wrote between.
  for (const [id, w] of c.written) {
    const live = anchors.get(id);
    if (!live?.base || rewritten.has(id)) continue;
    if (w.version === live.base.version + 1) live.base = w;
  }
}
