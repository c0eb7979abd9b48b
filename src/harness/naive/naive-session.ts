import { randomUUID } from 'node:crypto';
import type { Anchor, ConnectOptions, EdgeAnchor, Fields, NeighborsOptions, NodeAnchor } from '../../index.ts';
import type { GraphSession } from '../workload/graph-store.ts';
import { type NaiveAnchor, NaiveEdge, NaiveNode } from './naive-anchors.ts';
import type { NaiveBlob, NaiveBlobStore } from './naive-blob-store.ts';

/**
 * The original runtime's unit of work, on purpose: private copies of every row it reads, held
 * across awaits, and whole rows written back — `put()` at once, `commit()` every copy it holds
 * — with `INSERT OR REPLACE` and no version check. Two sessions that loaded one node erase each
 * other's edges and fields; a stale copy of a deleted node brings it back.
 */
export class NaiveSession implements GraphSession {
  readonly #blobs: NaiveBlobStore;
  readonly #root: string;
  #copies = new Map<string, NaiveAnchor>();
  #deleted = new Set<string>();

  constructor(blobs: NaiveBlobStore, root: string) {
    this.#blobs = blobs;
    this.#root = root;
  }

  async root(): Promise<NodeAnchor> {
    const known = this.#copies.get(this.#root);
    if (known?.kind === 'node') return known;
    this.#blobs.ensureRoot(this.#root);
    const blob = this.#blobs.read(this.#root) as NaiveBlob & { kind: 'node' };
    const id = this.#root;
    const root = new NaiveNode(id, blob.type, id, blob.fields, blob.version, undefined, () => this.#edgesOf(id));
    this.#copies.set(id, root);
    return root;
  }

  async get(id: string): Promise<Anchor | undefined> {
    return this.#load(id);
  }

  async edges(node: NodeAnchor): Promise<EdgeAnchor[]> {
    return node.edgeIds.map((id) => this.#load(id)).filter((a): a is NaiveEdge => a?.kind === 'edge');
  }

  async neighbors(node: NodeAnchor, options: NeighborsOptions = {}): Promise<NodeAnchor[]> {
    const direction = options.direction ?? 'out';
    const out: NodeAnchor[] = [];
    for (const e of await this.edges(node)) {
      if (options.edgeType !== undefined && e.type !== options.edgeType) continue;
      const from = e.source === node.id;
      const other = from && direction !== 'in' ? e.target : !from && direction !== 'out' ? e.source : undefined;
      const n = other === undefined ? undefined : this.#load(other);
      if (n?.kind === 'node' && (options.type === undefined || n.type === options.type) && !out.includes(n)) out.push(n);
    }
    return out;
  }

  create(type: string, fields: Fields = {}): NodeAnchor {
    const node = new NaiveNode(randomUUID(), type, this.#root, structuredClone(fields), 0, [], () => []);
    this.#copies.set(node.id, node);
    return node;
  }

  connect(source: NodeAnchor, target: NodeAnchor, options: ConnectOptions = {}): EdgeAnchor {
    const fields = structuredClone(options.fields ?? {});
    const edge = new NaiveEdge(randomUUID(), options.type ?? 'Edge', this.#root, fields, 0, source.id, target.id);
    this.#copies.set(edge.id, edge);
    (source as NaiveNode).addEdge(edge.id);
    if (target !== source) (target as NaiveNode).addEdge(edge.id);
    return edge;
  }

  destroy(anchor: Anchor): void {
    const edges = anchor.kind === 'node' ? anchor.edgeIds.map((id) => this.#load(id)) : [anchor];
    for (const e of edges) {
      if (e?.kind !== 'edge') continue;
      for (const end of [e.source, e.target]) {
        const node = this.#load(end);
        if (node?.kind === 'node') node.removeEdge(e.id);
      }
      this.#drop(e.id);
    }
    this.#drop(anchor.id);
  }

  async put(anchor: Anchor): Promise<void> {
    const copy = this.#copies.get(anchor.id);
    if (!copy) return;
    const fresh = (id: string) => {
      const a = this.#copies.get(id);
      return a && a.version === 0 ? [a] : [];
    };
    const edges = copy.kind === 'node' ? copy.edgeIds.flatMap(fresh) : [copy];
    const ends = edges.flatMap((e) => (e.kind === 'edge' ? [...fresh(e.source), ...fresh(e.target)] : []));
    for (const a of new Set([copy, ...edges, ...ends])) this.#write(a);
  }

  async commit(): Promise<void> {
    for (const id of this.#deleted) this.#blobs.remove(id);
    this.#deleted.clear();
    for (const a of this.#copies.values()) this.#write(a);
  }

  abort(): void {
    this.#copies.clear();
    this.#deleted.clear();
  }

  #write(a: NaiveAnchor): void {
    this.#blobs.replace(a.id, a.toBlob(a.version + 1));
    a.version += 1;
  }

  #drop(id: string): void {
    this.#copies.delete(id);
    this.#deleted.add(id);
  }

  #edgesOf(id: string): string[] {
    const blob = this.#blobs.read(id);
    return blob?.kind === 'node' ? blob.edges : [];
  }

  /** The session's copy, reading the whole row on first sight. Another user's rows stay unseen. */
  #load(id: string): NaiveAnchor | undefined {
    const known = this.#copies.get(id);
    if (known || this.#deleted.has(id)) return known;
    const b = this.#blobs.read(id);
    if (!b || b.root !== this.#root) return undefined;
    const copy =
      b.kind === 'node'
        ? new NaiveNode(id, b.type, b.root, b.fields, b.version, [...b.edges], () => this.#edgesOf(id))
        : new NaiveEdge(id, b.type, b.root, b.fields, b.version, b.source, b.target);
    this.#copies.set(id, copy);
    return copy;
  }
}
