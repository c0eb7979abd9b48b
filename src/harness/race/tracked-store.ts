import type { Anchor, ConnectOptions, EdgeAnchor, Fields, NeighborsOptions, NodeAnchor, WriteReceipt } from '../../index.ts';
import type { IntentInput } from '../history/commit-intent.ts';
import type { CreatedAnchor, HistoryEntryInput, Increment, VersionStep } from '../history/history-entry.ts';
import type { GraphSession, GraphSessionOptions, GraphStore } from '../workload/graph-store.ts';

export type Ack = Omit<HistoryEntryInput, 'process'>;

export interface OperationMeta {
  readonly operation: string;
  readonly session: string;
  readonly user: string;
}

/** What a crash harness listens to: intents before writes, and their outcomes as they happen. */
export interface TrackingHooks {
  /** Each acknowledged write, as soon as it is acknowledged. */
  acknowledged?(ack: Ack): void;
  /** Before a write that creates, deletes or increments: records its intent, returns its commit id. */
  intend?(intent: IntentInput): string;
  /** The write of this commit id failed with an error: nothing of it was written. */
  refused?(commitId: string): void;
}

const describe = (a: Anchor): CreatedAnchor =>
  a.kind === 'node'
    ? { kind: 'node', id: a.id, type: a.type }
    : { kind: 'edge', id: a.id, type: a.type, source: a.source, target: a.target };

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
  readonly #hooks: TrackingHooks;
  #counter: { field: string; by: number } | undefined;

  constructor(inner: GraphStore, meta: OperationMeta, hooks: TrackingHooks = {}) {
    this.#inner = inner;
    this.#meta = meta;
    this.#hooks = hooks;
  }

  /**
   * Declares that the next transaction increments `field` of the anchor whose id it resolves to,
   * so its intent and its acknowledgement carry the increment (declared before the write, so a
   * crash between commit and acknowledgement still leaves it checkable).
   */
  incrementing(counter: { field: string; by: number }): void {
    this.#counter = counter;
  }

  session(options: GraphSessionOptions): GraphSession {
    return new TrackedSession(this.#inner.session(options), this);
  }

  async transaction<T>(fn: (tx: GraphSession) => Promise<T>, options: GraphSessionOptions): Promise<T> {
    let last: TrackedSession | undefined;
    let runs = 0;
    // The commit id of the run whose commit is in flight, and what that run increments.
    let pending: string | undefined;
    let increments: Increment[] = [];
    const counter = this.#counter;
    this.#counter = undefined;
    const started = performance.now();
    const run = async (tx: GraphSession) => {
      // Another run means the last one's commit failed: the repository replays after a conflict.
      this.refuse(pending);
      pending = undefined;
      runs++;
      last = new TrackedSession(tx, this);
      const result = await fn(last);
      increments = counter && typeof result === 'string' ? [{ id: result, ...counter }] : [];
      pending = last.intend(true, increments);
      return result;
    };
    let result: T;
    try {
      result = await this.#inner.transaction(run, options);
    } catch (error) {
      this.refuse(pending);
      throw error;
    } finally {
      this.replays += Math.max(0, runs - 1);
      this.latenciesMs.push(performance.now() - started);
    }
    last?.acknowledge(true, pending, increments);
    return result;
  }

  async close(): Promise<void> {}

  /** Records one acknowledged write. */
  ack(written: Pick<Ack, 'anchors' | 'created' | 'deleted' | 'increments' | 'commitId'>): void {
    const ack = { ...this.#meta, at: Date.now(), ...written };
    this.acks.push(ack);
    this.#hooks.acknowledged?.(ack);
  }

  /** Records the intent of a write about to start; its commit id, when a hook keeps intents. */
  intend(effects: Pick<IntentInput, 'created' | 'deleted' | 'increments'>): string | undefined {
    return this.#hooks.intend?.({ operation: this.#meta.operation, user: this.#meta.user, ...effects });
  }

  /** The write of `commitId` failed. */
  refuse(commitId: string | undefined): void {
    if (commitId !== undefined) this.#hooks.refused?.(commitId);
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

  get lastWrite(): WriteReceipt | undefined {
    return this.#inner.lastWrite;
  }

  async put(anchor: Anchor): Promise<void> {
    const commitId = this.intend(false, [], anchor);
    await this.#timed(() => this.#inner.put(anchor), commitId);
    this.acknowledge(false, commitId);
  }

  async commit(): Promise<void> {
    const commitId = this.intend(true);
    await this.#timed(() => this.#inner.commit(), commitId);
    this.acknowledge(true, commitId);
  }

  abort(): void {
    this.#inner.abort();
    this.#created = [];
    this.#deleted = [];
  }

  /**
   * Before a write: records what it will create and delete — for a commit everything staged, for
   * `put(anchor)` what the put writes (the anchor, its new edges and their new endpoints) — and
   * returns its commit id; undefined when there is nothing to check or no hook keeps intents.
   */
  intend(all: boolean, increments: Increment[] = [], anchor?: Anchor): string | undefined {
    const pending = this.#created.filter((a) => a.version === 0 && !this.#deleted.includes(a.id));
    const isPending = (id: string) => pending.some((a) => a.id === id);
    const ends = (e: Anchor) => (e.kind === 'edge' ? [e.source, e.target] : []);
    let created = pending;
    if (!all && anchor) {
      // Session.put's documented closure: the anchor, its new edges, their new endpoints.
      const edges = anchor.kind === 'edge' ? [anchor] : pending.filter((e) => ends(e).includes(anchor.id));
      const ids = new Set([anchor.id, ...edges.flatMap((e) => [e.id, ...ends(e)])]);
      created = pending.filter((a) => ids.has(a.id));
    }
    const deleted = all ? this.#deleted.filter((id) => !isPending(id)) : [];
    if (created.length === 0 && deleted.length === 0 && increments.length === 0) return undefined;
    return this.#store.intend({ created: created.map(describe), deleted, increments });
  }

  /** After a successful write: what it wrote since the last one. A put leaves deletes staged. */
  acknowledge(all: boolean, commitId?: string, increments: Increment[] = []): void {
    const created: CreatedAnchor[] = [];
    const pending: Anchor[] = [];
    for (const a of this.#created) {
      if (a.version === 0) pending.push(a);
      else created.push(describe(a));
    }
    this.#created = all ? [] : pending;
    const deleted = all ? this.#deleted : [];
    if (all) this.#deleted = [];
    // Where the store says what the write wrote, its steps are complete: every row, each moved
    // by one version, the nodes a cascade or a new edge bumped unseen included.
    const receipt = this.lastWrite;
    const anchors = receipt
      ? [...receipt.written].map(([id, row]) => ({ id, base: row.version - 1, committed: row.version }))
      : this.#seenSteps(deleted);
    this.#store.ack({ anchors, created, deleted, ...(increments.length > 0 && { increments }), commitId });
  }

  /** Version steps of the anchors this session saw, since the last acknowledgement (stores without receipts). */
  #seenSteps(deleted: readonly string[]): VersionStep[] {
    const steps: VersionStep[] = [];
    for (const seen of this.#versions.values()) {
      if (seen.anchor.version === seen.version || deleted.includes(seen.anchor.id)) continue;
      steps.push({ id: seen.anchor.id, base: seen.version, committed: seen.anchor.version });
      seen.version = seen.anchor.version;
    }
    return steps;
  }

  async #timed(write: () => Promise<unknown>, commitId: string | undefined): Promise<void> {
    const started = performance.now();
    try {
      await write();
    } catch (error) {
      this.#store.refuse(commitId);
      throw error;
    }
    this.#store.latenciesMs.push(performance.now() - started);
  }
}
