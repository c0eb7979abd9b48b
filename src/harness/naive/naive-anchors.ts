import type { EdgeAnchor, Fields, NodeAnchor, VersionVector } from '../../index.ts';
import type { NaiveBlob } from './naive-blob-store.ts';

const NO_VV: VersionVector = Object.freeze({});

/**
 * A naive session's private copy of a node. Its edge list is the one read with the row, except
 * for a session's root, which (as in the original runtime) is handed out unread and reads its
 * list on the first walk; written back before any walk, it holds only the edges added since.
 * Reading is asynchronous, so the session calls `walk()` before it uses the list.
 */
export class NaiveNode implements NodeAnchor {
  readonly kind = 'node' as const;
  readonly versionVector = NO_VV;
  /** The version this copy believes the row has; a write stores version + 1. */
  version: number;
  #edges: string[] | undefined;
  #addedUnread: string[] = [];
  readonly #read: () => Promise<string[]>;

  constructor(
    readonly id: string,
    readonly type: string,
    readonly root: string,
    readonly fields: Fields,
    version: number,
    edges: string[] | undefined,
    read: () => Promise<string[]>,
  ) {
    this.version = version;
    this.#edges = edges;
    this.#read = read;
  }

  get edgeIds(): readonly string[] {
    if (!this.#edges) throw new Error(`naive node ${this.id}: edge list not read yet (walk it through the session first)`);
    return [...this.#edges];
  }

  /** Reads the edge list of a copy handed out unread; the edges added meanwhile go after it. */
  async walk(): Promise<void> {
    if (this.#edges) return;
    const stored = await this.#read();
    this.#edges ??= [...stored, ...this.#addedUnread];
  }

  addEdge(id: string): void {
    if (this.#edges) this.#edges.push(id);
    else this.#addedUnread.push(id);
  }

  /** Only on a walked copy. */
  removeEdge(id: string): void {
    this.#edges = this.edgeIds.filter((e) => e !== id);
  }

  toBlob(version: number): NaiveBlob {
    const edges = [...(this.#edges ?? this.#addedUnread)];
    return { kind: 'node', type: this.type, root: this.root, fields: structuredClone(this.fields), edges, version };
  }
}

/** A naive session's private copy of an edge. */
export class NaiveEdge implements EdgeAnchor {
  readonly kind = 'edge' as const;
  readonly versionVector = NO_VV;
  version: number;

  constructor(
    readonly id: string,
    readonly type: string,
    readonly root: string,
    readonly fields: Fields,
    version: number,
    readonly source: string,
    readonly target: string,
  ) {
    this.version = version;
  }

  toBlob(version: number): NaiveBlob {
    const { type, root, source, target } = this;
    return { kind: 'edge', type, root, fields: structuredClone(this.fields), source, target, version };
  }
}

export type NaiveAnchor = NaiveNode | NaiveEdge;
