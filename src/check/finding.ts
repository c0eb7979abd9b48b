/** What `anchorage check` can find. Repairable kinds are fixed by `--repair`; the others are reported. */
export type FindingKind =
  | 'corrupt_row' // fields or version vector do not parse, or the row has the wrong shape
  | 'dangling_edge_id' // an edge id at a node that does not resolve to an edge of that node
  | 'edge_missing_endpoint' // an edge row whose source or target node is gone
  | 'missing_edge_id' // an edge whose endpoint does not list it
  | 'vv_mismatch' // the version vector's counts do not add up to the version
  | 'orphan_node'; // a node no root reaches

export const REPAIRABLE: ReadonlySet<FindingKind> = new Set([
  'corrupt_row',
  'dangling_edge_id',
  'edge_missing_endpoint',
  'missing_edge_id',
]);

export interface Finding {
  readonly kind: FindingKind;
  readonly anchorId: string;
  /** The other id involved (the edge of a dangling id, the node missing an edge id). */
  readonly relatedId?: string;
  readonly detail: string;
}

export interface CheckReport {
  readonly anchors: number;
  readonly edgeIds: number;
  readonly findings: readonly Finding[];
  /** What `--repair` did, one line per action. */
  readonly repaired: readonly string[];
}
