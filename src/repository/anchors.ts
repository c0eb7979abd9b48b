import type { Fields } from '../core/row.ts';
import type { VersionVector } from '../core/version-vector.ts';

interface AnchorCommon {
  readonly id: string;
  readonly type: string;
  /**
   * The anchor's fields. Mutate them in place (`a.fields.name = 'Ada'`, `a.fields.tags.push(t)`);
   * a commit writes only the fields that changed, and merges them per field with other writers.
   */
  readonly fields: Fields;
  /** Owner: the root of the session that created it. */
  readonly root: string;
  /** Stored version this session last read or wrote (0 until first written). */
  readonly version: number;
  /** Writer id → count of that writer's writes, as of `version`. */
  readonly versionVector: VersionVector;
}

/** A graph node as one session sees it: the stored node plus the session's staged changes. */
export interface NodeAnchor extends AnchorCommon {
  readonly kind: 'node';
  /**
   * Ids of the edges at this node (either endpoint), in creation order, with this session's
   * staged connects and disconnects applied. Large lists load on first access.
   */
  readonly edgeIds: readonly string[];
}

/** A directed edge between two nodes. Its id also stands in both endpoints' `edgeIds`. */
export interface EdgeAnchor extends AnchorCommon {
  readonly kind: 'edge';
  readonly source: string;
  readonly target: string;
}

export type Anchor = NodeAnchor | EdgeAnchor;
