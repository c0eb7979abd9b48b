/** An acknowledged anchor missing from the final database (not deleted by any acknowledged operation). */
export interface LostAnchor {
  readonly id: string;
  readonly kind: 'node' | 'edge';
  /** `missing`: no row; `unlisted`: the edge row is there but an endpoint's edge list lacks it. */
  readonly reason: 'missing' | 'unlisted';
  /** The operation that acknowledged it. */
  readonly operation: string;
  readonly process: string;
}

/** A broken reference in the final database. */
export interface DanglingRef {
  readonly id: string;
  /** The node whose edge list holds the id, or the edge's missing or unlisting endpoint. */
  readonly node: string;
  readonly reason: 'unresolved' | 'not_an_edge' | 'not_incident' | 'endpoint_missing' | 'unlisted';
}

export interface DuplicateGroup {
  readonly root: string;
  readonly type: string;
  readonly ids: readonly string[];
}

export interface CounterDrift {
  readonly id: string;
  readonly field: string;
  /** Sum of acknowledged increments (counters start at 0); with unacknowledged ones, the nearest sum they allow. */
  readonly expected: number;
  readonly actual: number;
}

/**
 * A broken version chain: `duplicate` when two acknowledged writes claim one version of an
 * anchor (one overwrote the other); `gap` when a write did not advance the version, or the stored
 * version is behind one that was acknowledged (acknowledged versions missing from the chain).
 */
export interface ChainAnomaly {
  readonly id: string;
  readonly kind: 'duplicate' | 'gap';
  readonly version: number;
  readonly detail: string;
}

export interface CheckReport {
  readonly lost: readonly LostAnchor[];
  /** Anchors an acknowledged operation deleted that are present. */
  readonly zombies: readonly string[];
  readonly dangling: readonly DanglingRef[];
  readonly duplicates: readonly DuplicateGroup[];
  readonly counterDrift: readonly CounterDrift[];
  readonly versionChains: readonly ChainAnomaly[];
}

export interface CheckCounts {
  readonly lost: number;
  readonly zombies: number;
  readonly dangling: number;
  /** Extra anchors: a group of three profiles for one user counts two. */
  readonly duplicates: number;
  /** Sum over counters of |actual − expected|: increments lost (or invented). */
  readonly counterDrift: number;
  readonly versionChains: number;
  /** Sum of the above: zero means the history and the database agree. */
  readonly anomalies: number;
}

export function countAnomalies(report: CheckReport): CheckCounts {
  const counts = {
    lost: report.lost.length,
    zombies: report.zombies.length,
    dangling: report.dangling.length,
    duplicates: report.duplicates.reduce((n, g) => n + g.ids.length - 1, 0),
    counterDrift: report.counterDrift.reduce((n, d) => n + Math.abs(d.actual - d.expected), 0),
    versionChains: report.versionChains.length,
  };
  return { ...counts, anomalies: Object.values(counts).reduce((a, b) => a + b, 0) };
}
