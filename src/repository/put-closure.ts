import type { Live } from './live-anchor.ts';

/**
 * What `put(anchor)` writes: the anchor and what its staged changes need to stay whole — its
 * new edges with their new endpoints, its staged edge removals; for an edge, its new endpoints.
 * Other staged changes (an endpoint's own fields, its other edges) stay staged.
 */
export function putClosure(anchors: ReadonlyMap<string, Live>, live: Live): Live[] {
  const out = new Set<Live>([live]);
  const addNewNode = (id: string) => {
    const n = anchors.get(id);
    if (n && n.base === null) out.add(n);
  };
  if (live.kind === 'edge') {
    addNewNode(live.source);
    addNewNode(live.target);
  } else {
    for (const id of [...(live.addedEdges ?? []), ...(live.removedEdges ?? [])]) {
      const edge = anchors.get(id);
      if (edge?.kind !== 'edge') continue;
      out.add(edge);
      addNewNode(edge.source === live.id ? edge.target : edge.source);
    }
  }
  return [...out];
}
