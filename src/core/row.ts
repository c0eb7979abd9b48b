import type { Json } from './json.ts';
import type { VersionVector } from './version-vector.ts';

/** The system root: the owner of anchors created by sessions opened without a user root. */
export const SYSTEM_ROOT = '00000000-0000-0000-0000-000000000000';

export type Fields = Record<string, Json>;

interface RowBase {
  readonly id: string;
  readonly type: string;
  /** Owner: the root of the session that created the anchor. */
  readonly root: string;
  readonly fields: Readonly<Fields>;
  readonly version: number;
  readonly vv: VersionVector;
}

/** A stored node. Its edge list lives beside it (storage keeps it), so rows stay small. */
export interface NodeRow extends RowBase {
  readonly kind: 'node';
}

export interface EdgeRow extends RowBase {
  readonly kind: 'edge';
  readonly source: string;
  readonly target: string;
}

/** One anchor as storage holds it at one version. */
export type AnchorRow = NodeRow | EdgeRow;
