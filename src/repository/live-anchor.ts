import { applyEdgeDelta } from '../core/edge-list.ts';
import type { AnchorRow, Fields } from '../core/row.ts';
import type { VersionVector } from '../core/version-vector.ts';
import type { EdgeAnchor, NodeAnchor } from './anchors.ts';
import { FieldTracker } from './field-tracker.ts';

/** What a session knows of the stored row it last saw: content is in the live fields. */
export interface Base {
  readonly version: number;
  readonly vv: VersionVector;
}

const NONE: ReadonlySet<string> = new Set();
const NO_VV: VersionVector = Object.freeze({});

/**
 * The object a session hands out for one anchor, and that session's bookkeeping for it.
 * Members other than the public interface are the session's; callers see `NodeAnchor`/`EdgeAnchor`.
 */
abstract class LiveAnchor {
  readonly id: string;
  readonly type: string;
  readonly root: string;
  /** Version and vector this session last read or wrote; null while the anchor is new. */
  base: Base | null;
  readonly tracker: FieldTracker;
  /** Staged for deletion. */
  destroyed = false;

  constructor(id: string, type: string, root: string, base: Base | null, fields: Fields) {
    this.id = id;
    this.type = type;
    this.root = root;
    this.base = base;
    this.tracker = new FieldTracker(fields);
  }

  get fields(): Fields {
    return this.tracker.proxy;
  }

  get version(): number {
    return this.base?.version ?? 0;
  }

  get versionVector(): VersionVector {
    return this.base?.vv ?? NO_VV;
  }
}

export class LiveNode extends LiveAnchor implements NodeAnchor {
  readonly kind = 'node' as const;
  /** Stored edge ids as last loaded; undefined until needed. */
  storedEdgeIds: string[] | undefined;
  /** New edges staged at this node, in staging order. */
  addedEdges: string[] | undefined;
  /** Stored edges staged for removal from this node. */
  removedEdges: Set<string> | undefined;
  /** Loads the stored list on first access, where the backend can read synchronously. */
  readonly loadEdgeIds: ((id: string) => string[]) | undefined;

  constructor(id: string, type: string, root: string, base: Base | null, fields: Fields, loadEdgeIds?: (id: string) => string[]) {
    super(id, type, root, base, fields);
    this.loadEdgeIds = loadEdgeIds;
    if (base === null) this.storedEdgeIds = [];
  }

  get edgeIds(): readonly string[] {
    this.storedEdgeIds ??= this.loadEdgeIds?.(this.id) ?? [];
    return applyEdgeDelta(this.storedEdgeIds, this.removedEdges ?? NONE, this.addedEdges ?? []);
  }

  toJSON() {
    const { id, kind, type, root, version, versionVector, edgeIds } = this;
    return { id, kind, type, root, fields: this.tracker.target, edgeIds, version, versionVector };
  }
}

export class LiveEdge extends LiveAnchor implements EdgeAnchor {
  readonly kind = 'edge' as const;
  readonly source: string;
  readonly target: string;

  constructor(id: string, type: string, root: string, base: Base | null, fields: Fields, source: string, target: string) {
    super(id, type, root, base, fields);
    this.source = source;
    this.target = target;
  }

  toJSON() {
    const { id, kind, type, root, source, target, version, versionVector } = this;
    return { id, kind, type, root, fields: this.tracker.target, source, target, version, versionVector };
  }
}

export type Live = LiveNode | LiveEdge;

/** A live anchor over a freshly loaded row; it takes ownership of the row's `fields` object. */
export function liveFromRow(row: AnchorRow, loadEdgeIds?: (id: string) => string[]): Live {
  const base: Base = { version: row.version, vv: row.vv };
  const fields = row.fields as Fields;
  return row.kind === 'node'
    ? new LiveNode(row.id, row.type, row.root, base, fields, loadEdgeIds)
    : new LiveEdge(row.id, row.type, row.root, base, fields, row.source, row.target);
}
