import type { Anchor, ConnectOptions, EdgeAnchor, Fields, NeighborsOptions, NodeAnchor, WriteReceipt } from '../../index.ts';

/**
 * What a workload asks of a graph store: the subset of anchorage's Session that the seed's
 * walkers use. anchorage's `Repository` satisfies it as is; the harness's naive writer
 * implements it with whole-row writes, so one workload runs on both.
 */
export interface GraphSession {
  root(): Promise<NodeAnchor>;
  get(id: string): Promise<Anchor | undefined>;
  edges(node: NodeAnchor): Promise<EdgeAnchor[]>;
  neighbors(node: NodeAnchor, options?: NeighborsOptions): Promise<NodeAnchor[]>;
  create(type: string, fields?: Fields): NodeAnchor;
  connect(source: NodeAnchor, target: NodeAnchor, options?: ConnectOptions): EdgeAnchor;
  destroy(anchor: Anchor): void;
  /** Resolves to what it wrote where the store can tell (`lastWrite`). */
  put(anchor: Anchor): Promise<unknown>;
  commit(): Promise<unknown>;
  /**
   * Every row the last successful write changed, with its new version (anchorage's sessions,
   * a transaction's too once it resolves); undefined where the store cannot tell (naive).
   */
  readonly lastWrite?: WriteReceipt | undefined;
  abort(): void;
}

export interface GraphSessionOptions {
  /** The user root the session acts for. */
  readonly root: string;
  readonly mode?: 'merge' | 'serializable';
}

export interface GraphStore {
  session(options: GraphSessionOptions): GraphSession;
  /** Runs `fn` on a fresh session and commits it; anchorage replays it on conflicts. */
  transaction<T>(fn: (tx: GraphSession) => Promise<T>, options: GraphSessionOptions): Promise<T>;
  close(): Promise<void>;
}
