/**
 * The edge list a node shows after a delta: stored edges in stored order, minus the edges the
 * delta removed, plus the edges it added (in the order added) that are not there yet. Edges
 * merge, never replace: an edge is gone only if some delta removed it.
 */
export function applyEdgeDelta(stored: readonly string[], removed: ReadonlySet<string>, added: readonly string[]): string[] {
  const out = removed.size === 0 ? stored.slice() : stored.filter((id) => !removed.has(id));
  if (added.length === 0) return out;
  const present = new Set(out);
  for (const id of added) {
    if (!removed.has(id) && !present.has(id)) {
      out.push(id);
      present.add(id);
    }
  }
  return out;
}
