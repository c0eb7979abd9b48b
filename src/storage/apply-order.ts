import type { NewAnchor } from '../core/write-set.ts';

/** Nodes before edges, so an edge's new endpoints exist when the edge is written. */
export function nodesFirst(inserts: readonly NewAnchor[]): NewAnchor[] {
  return [...inserts.filter((a) => a.kind === 'node'), ...inserts.filter((a) => a.kind === 'edge')];
}

/** Writer ids go into JSON paths and labels; keep them to a safe alphabet. */
export const WRITER_ID = /^[A-Za-z0-9_-]{1,64}$/;
