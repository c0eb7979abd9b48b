import type { Anchor, ConnectOptions, EdgeAnchor, Fields, NeighborsOptions, NodeAnchor } from '../../index.ts';
import type { CreatedAnchor, HistoryEntryInput, VersionStep } from '../history/history-entry.ts';
import type { GraphSession, GraphSessionOptions, GraphStore } from '../workload/graph-store.ts';

export type Ack = Omit<HistoryEntryInput, 'process'>;

interface OperationMeta {
  readonly operation: string;
  readonly session: string;
  readonly user: string;
}

/**
 * A GraphStore for one operation that notes what each successful `put()`/`commit()`/transaction
 * wrote — anchors created and deleted, version steps — as history entries (`acks`), and how
 * long each write took. Anchors pass through untouched; only the session calls are watched.
 */
export class TrackedStore implements GraphStore {
  readonly acks: Ack[] = [];
  readonly latenciesMs: number[] = [];
  /** Transaction runs beyond the first (anchorage replays a transaction on a conflict it cannot merge). */
  replays = 0;
  readonly #inner: GraphStore;
  readonly #meta: OperationMeta;

  constructor(inner: GraphStore, meta: OperationMeta) {
    this.#inner = inner;
    this.#meta = meta;
  }

  session(options: GraphSessionOptions): GraphSession {
    return new TrackedSession(this.#inner.session(options), this);
  }

  async transaction<T>(fn: (tx: GraphSession) => Promise<T>, options: GraphSessionOptions): Promise<T> {
    let last: TrackedSession | undefined;
    let runs = 0;
    const started = performance.now();
    const run = (tx: GraphSession) => {
      runs++;
      last = new TrackedSession(tx, this);
      return fn(last);
    };
    try {
      const result = await this.#inner.transaction(run, options);
      last?.acknowledge(true);
      return result;
    } finally {
      this.replays += Math.max(0, runs - 1);
      this.latenciesMs.push(performance.now() - started);
    }
  }

  async close(): Promise<void> {}

  /** Records one acknowledged write. */
  ack(written: Pick<Ack, 'anchors' | 'created' | 'deleted'>): void {
    this.acks.push({ ...this.#meta, at: Date.now(), ...written });
  }
}

class TrackedSession implements GraphSession {
  readonly #inner: GraphSession;
  readonly #store: TrackedStore;
  /** Version of each anchor seen, as of the last acknowledgement. */
  readonly #versions = new Map<string, { anchor: Anchor; version: number }>();
  #created: Anchor[] = [];
  #deleted: string[] = [];

  constructor(inner: GraphSession, store: TrackedStore) {
    this.#inner = inner;
    this.#store = store;
  }

  #see<A extends Anchor | undefined>(a: A): A {
    if (a && !this.#versions.has(a.id)) this.#versions.set(a.id, { anchor: a, version: a.version });
    return a;
  }

  root = async (): Promise<NodeAnchor> => this.#see(await this.#inner.root());
  get = async (id: string): Promise<Anchor | undefined> => this.#see(await this.#inner.get(id));
  edges = async (node: NodeAnchor): Promise<EdgeAnchor[]> => (await this.#inner.edges(node)).map((e) => this.#see(e));
  neighbors = async (node: NodeAnchor, options?: NeighborsOptions): Promise<NodeAnchor[]> =>
    (await this.#inner.neighbors(node, options)).map((n) => this.#see(n));

  create(type: string, fields?: Fields): NodeAnchor {
    const node = this.#see(this.#inner.create(type, fields));
    this.#created.push(node);
    return node;
  }

  connect(source: NodeAnchor, target: NodeAnchor, options?: ConnectOptions): EdgeAnchor {
    const edge = this.#see(this.#inner.connect(source, target, options));
    this.#created.push(edge);
    return edge;
  }

  destroy(anchor: Anchor): void {
    this.#inner.destroy(anchor);
    this.#deleted.push(anchor.id);
  }

  async put(anchor: Anchor): Promise<void> {
    await this.#timed(() => this.#inner.put(anchor));
    this.acknowledge(false);
  }

  async commit(): Promise<void> {
    await this.#timed(() => this.#inner.commit());
    this.acknowledge(true);
  }

  abort(): void {
    this.#inner.abort();
    this.#created = [];
    this.#deleted = [];
  }

  /** After a successful write: what it wrote since the last one. A put leaves deletes staged. */
  acknowledge(all: boolean): void {
    const created: CreatedAnchor[] = [];
    const pending: Anchor[] = [];
    for (const a of this.#created) {
      if (a.version === 0) pending.push(a);
      else
        created.push(
          a.kind === 'node'
            ? { kind: 'node', id: a.id, type: a.type }
            : { kind: 'edge', id: a.id, type: a.type, source: a.source, target: a.target },
        );
    }
    this.#created = all ? [] : pending;
    const deleted = all ? this.#deleted : [];
    if (all) this.#deleted = [];
    const anchors: VersionStep[] = [];
    for (const seen of this.#versions.values()) {
      if (seen.anchor.version === seen.version || deleted.includes(seen.anchor.id)) continue;
      anchors.push({ id: seen.anchor.id, base: seen.version, committed: seen.anchor.version });
      seen.version = seen.anchor.version;
    }
    this.#store.ack({ anchors, created, deleted });
  }

  async #timed(write: () => Promise<void>): Promise<void> {
    const started = performance.now();
    await write();
    this.#store.latenciesMs.push(performance.now() - started);
  }
}
