import { randomUUID } from 'node:crypto';
import type { Anchor, ConnectOptions, EdgeAnchor, Fields, NeighborsOptions, NodeAnchor } from '../../index.ts';
import type { GraphSession } from '../workload/graph-store.ts';
import { type NaiveAnchor, NaiveEdge, NaiveNode } from './naive-anchors.ts';
import type { NaiveBlob, NaiveBlobStore } from './naive-blob-store.ts';

/**
 * The original runtime's unit of work, on purpose: private copies of every row it reads, held
 * across awaits, and whole rows written back — `put()` at once, `commit()` every copy it holds
 * — one statement at a time and no version check. Two sessions that loaded one node erase each
 * other's edges and fields; a stale copy of a deleted node brings it back.
 */
export class NaiveSession implements GraphSession {
  readonly #blobs: NaiveBlobStore;
  readonly #root: string;
  #copies = new Map<string, NaiveAnchor>();
  #deleted = new Set<string>();
  /** `destroy()` is synchronous but may have rows to read: its work, in call order; writes wait for it. */
  #destroying: Promise<void> = Promise.resolve();

  constructor(blobs: NaiveBlobStore, root: string) {
    this.#blobs = blobs;
    this.#root = root;
  }

  async root(): Promise<NodeAnchor> {
    const id = this.#root;
    const known = this.#copies.get(id);
    if (known?.kind === 'node') return known;
    await this.#blobs.ensureRoot(id);
    const blob = (await this.#blobs.read(id)) as NaiveBlob & { kind: 'node' };
    const root = new NaiveNode(id, blob.type, id, blob.fields, blob.version, undefined, () => this.#edgesOf(id));
    return this.#keep(root) as NaiveNode;
  }

  async get(id: string): Promise<Anchor | undefined> {
    return this.#load(id);
  }

  async edges(node: NodeAnchor): Promise<EdgeAnchor[]> {
    const out: EdgeAnchor[] = [];
    for (const a of await this.#loadEdgesOf(node)) if (a?.kind === 'edge') out.push(a);
    return out;
  }

  async neighbors(node: NodeAnchor, options: NeighborsOptions = {}): Promise<NodeAnchor[]> {
    const direction = options.direction ?? 'out';
    const out: NodeAnchor[] = [];
    for (const e of await this.edges(node)) {
      if (options.edgeType !== undefined && e.type !== options.edgeType) continue;
      const from = e.source === node.id;
      const other = from && direction !== 'in' ? e.target : !from && direction !== 'out' ? e.source : undefined;
      const n = other === undefined ? undefined : await this.#load(other);
      if (n?.kind === 'node' && (options.type === undefined || n.type === options.type) && !out.includes(n)) out.push(n);
    }
    return out;
  }

  create(type: string, fields: Fields = {}): NodeAnchor {
    const node = new NaiveNode(randomUUID(), type, this.#root, structuredClone(fields), 0, [], async () => []);
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
    this.#destroying = this.#destroying.then(() => this.#destroy(anchor));
    this.#destroying.catch(() => {}); // reported by the next put() or commit()
  }

  async put(anchor: Anchor): Promise<void> {
    await this.#destroying;
    const copy = this.#copies.get(anchor.id);
    if (!copy) return;
    if (copy.kind === 'node') await copy.walk();
    const fresh = (id: string) => {
      const a = this.#copies.get(id);
      return a && a.version === 0 ? [a] : [];
    };
    const edges = copy.kind === 'node' ? copy.edgeIds.flatMap(fresh) : [copy];
    const ends = edges.flatMap((e) => (e.kind === 'edge' ? [...fresh(e.source), ...fresh(e.target)] : []));
    for (const a of new Set([copy, ...edges, ...ends])) await this.#write(a);
  }

  async commit(): Promise<void> {
    await this.#destroying;
    for (const id of [...this.#deleted]) await this.#blobs.remove(id);
    this.#deleted.clear();
    for (const a of [...this.#copies.values()]) await this.#write(a);
  }

  abort(): void {
    this.#copies.clear();
    this.#deleted.clear();
  }

  async #destroy(anchor: Anchor): Promise<void> {
    const edges = anchor.kind === 'node' ? await this.#loadEdgesOf(anchor) : [anchor];
    for (const e of edges) {
      if (e?.kind !== 'edge') continue;
      for (const end of [e.source, e.target]) {
        const node = await this.#load(end);
        if (node?.kind !== 'node') continue;
        await node.walk();
        node.removeEdge(e.id);
      }
      this.#drop(e.id);
    }
    this.#drop(anchor.id);
  }

  async #write(a: NaiveAnchor): Promise<void> {
    await this.#blobs.replace(a.id, a.toBlob(a.version + 1));
    a.version += 1;
  }

  #drop(id: string): void {
    this.#copies.delete(id);
    this.#deleted.add(id);
  }

  async #edgesOf(id: string): Promise<string[]> {
    const blob = await this.#blobs.read(id);
    return blob?.kind === 'node' ? blob.edges : [];
  }

  /** The copies of a node's edges (the node's list read first, if it was handed out unread), one row at a time. */
  async #loadEdgesOf(node: NodeAnchor): Promise<Array<NaiveAnchor | undefined>> {
    if (node instanceof NaiveNode) await node.walk();
    const out: Array<NaiveAnchor | undefined> = [];
    for (const id of node.edgeIds) out.push(await this.#load(id));
    return out;
  }

  /** The session's copy, reading the whole row on first sight. Another user's rows stay unseen. */
  async #load(id: string): Promise<NaiveAnchor | undefined> {
    const known = this.#copies.get(id);
    if (known || this.#deleted.has(id)) return known;
    const b = await this.#blobs.read(id);
    if (!b || b.root !== this.#root || this.#deleted.has(id)) return undefined;
    const copy =
      b.kind === 'node'
        ? new NaiveNode(id, b.type, b.root, b.fields, b.version, [...b.edges], () => this.#edgesOf(id))
        : new NaiveEdge(id, b.type, b.root, b.fields, b.version, b.source, b.target);
    return this.#keep(copy);
  }

  /** Keeps the first copy of a row: two walks of one session may read the same row at once. */
  #keep(copy: NaiveAnchor): NaiveAnchor {
    const first = this.#copies.get(copy.id);
    if (first) return first;
    this.#copies.set(copy.id, copy);
    return copy;
  }
}
