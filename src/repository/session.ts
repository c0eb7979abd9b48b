import { AccessDeniedError, ValidationError } from '../core/errors.ts';
import { cloneJson } from '../core/json.ts';
import type { AnchorRow, Fields } from '../core/row.ts';
import { SYSTEM_ROOT } from '../core/row.ts';
import type { WriteReceipt } from '../core/write-set.ts';
import type { Anchor, EdgeAnchor, NodeAnchor } from './anchors.ts';
import { buildPlan, isEmptyPlan } from './change-set.ts';
import { type CommitLoopContext, runCommit } from './commit-loop.ts';
import { type Live, LiveEdge, LiveNode, liveFromRow } from './live-anchor.ts';
import { putClosure } from './put-closure.ts';
import { rebaseline } from './rebaseline.ts';
import {
  anchorListSchema,
  type ConnectOptions,
  connectOptionsSchema,
  type ListOptions,
  type ListPage,
  listOptionsSchema,
  type NeighborsOptions,
  neighborsOptionsSchema,
} from './session-options.ts';
import { checkSize, fieldsSchema, idSchema, parseInput, typeNameSchema } from './validation.ts';

export type SessionMode = 'merge' | 'serializable';

export interface SessionContext extends CommitLoopContext {
  readonly maxAnchorBytes: number;
}

/**
 * A unit of work: an identity map of loaded anchors with their bases, and staged changes.
 * Staging is synchronous; reads and writes are async. `put()` and `commit()` share one write
 * path (compare-and-swap, rebase, retry). A session writes only its own staged changes.
 * Use one session per request; do not share one across concurrent tasks.
 */
export class Session {
  /** The user root this session acts for (the system root when none was given). */
  readonly rootId: string;
  readonly mode: SessionMode;
  readonly #ctx: SessionContext;
  readonly #anchors = new Map<string, Live>();
  /** Ids read as absent (serializable checks) or deleted by this session's writes. */
  readonly #absent = new Set<string>();
  #closed = false;
  #writing: Promise<unknown> = Promise.resolve();
  #lastWrite: WriteReceipt | undefined;

  constructor(ctx: SessionContext, rootId: string, mode: SessionMode) {
    this.#ctx = ctx;
    this.rootId = rootId;
    this.mode = mode;
  }

  // ── reading ────────────────────────────────────────────────────────────────

  /** This session's root node; its row is created on first use, idempotently. */
  async root(): Promise<NodeAnchor> {
    this.#open();
    let root = await this.get(this.rootId);
    if (!root) {
      this.#absent.delete(this.rootId);
      await this.#ctx.storage.ensureRoot(this.rootId, this.#ctx.writer);
      root = await this.get(this.rootId);
    }
    if (root?.kind !== 'node') throw new ValidationError('root', `anchor ${this.rootId} is not a node`);
    return root;
  }

  /** The anchor with this id, from the identity map (same object every time) or from storage. */
  async get(id: string): Promise<Anchor | undefined> {
    this.#open();
    const key = parseInput(idSchema, id, 'id');
    const known = this.#anchors.get(key);
    if (known) return known.destroyed ? undefined : known;
    if (this.#absent.has(key)) return undefined;
    const [anchor] = await this.#loadMany([key], true);
    return anchor;
  }

  /** The edges at a node (either endpoint), in edge-list order. */
  async edges(node: NodeAnchor): Promise<EdgeAnchor[]> {
    this.#open();
    const live = this.#own(node, 'node', 'node');
    if (live.storedEdgeIds === undefined && !this.#ctx.storage.capabilities.syncReads) {
      live.storedEdgeIds = await this.#ctx.storage.loadEdgeIds(live.id);
    }
    const loaded = await this.#loadMany(live.edgeIds, false);
    return loaded.filter((a): a is LiveEdge => a?.kind === 'edge');
  }

  /**
   * Nodes joined to `node` by an edge: `out` (default) follows edges whose source is `node`,
   * `in` those whose target is, `both` either. `type` filters neighbours by node type,
   * `edgeType` filters the edges followed.
   */
  async neighbors(node: NodeAnchor, options: NeighborsOptions = {}): Promise<NodeAnchor[]> {
    const opts = parseInput(neighborsOptionsSchema, options, 'options');
    const edges = await this.edges(node);
    const others: string[] = [];
    for (const e of edges) {
      if (opts.edgeType !== undefined && e.type !== opts.edgeType) continue;
      const out = e.source === node.id;
      const into = e.target === node.id;
      if (opts.direction === 'out' && out) others.push(e.target);
      else if (opts.direction === 'in' && into) others.push(e.source);
      else if (opts.direction === 'both') others.push(out ? e.target : e.source);
    }
    const loaded = await this.#loadMany([...new Set(others)], false);
    return loaded.filter((a): a is LiveNode => a?.kind === 'node' && (opts.type === undefined || a.type === opts.type));
  }

  /**
   * Stored anchors of one type that this session can read, ids ascending: at most `limit`
   * (default 100) with ids after `after`; pass `next` back as `after` for the next page.
   * Loaded anchors are the same objects, with their staged changes; staged creations appear once
   * committed, staged deletions not at all. Serializable mode checks the versions of what was
   * listed at commit, not anchors of the type created since (no phantom protection).
   */
  async list(type: string, options: ListOptions = {}): Promise<ListPage> {
    this.#open();
    const t = parseInput(typeNameSchema, type, 'type');
    const { after, limit } = parseInput(listOptionsSchema, options, 'options');
    // What #canRead allows, as scans: one per readable owner, merged in id order.
    const owners = this.rootId === SYSTEM_ROOT ? [undefined] : [this.rootId, SYSTEM_ROOT];
    const scans = await Promise.all(owners.map((root) => this.#ctx.storage.scan({ type: t, root, after, limit })));
    const ids = scans.flatMap((rows) => rows.map((r) => r.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const page = ids.slice(0, limit);
    const loaded = await this.#loadMany(page, false);
    return {
      anchors: loaded.filter((a): a is Live => a !== undefined),
      next: ids.length >= limit ? page.at(-1) : undefined,
    };
  }

  // ── staging (synchronous) ─────────────────────────────────────────────────

  /** Stages a new node owned by this session's root. */
  create(type: string, fields: Fields = {}): NodeAnchor {
    this.#open();
    const t = parseInput(typeNameSchema, type, 'type');
    const f = cloneJson(parseInput(fieldsSchema, fields, 'fields'));
    checkSize(f, this.#ctx.maxAnchorBytes, 'fields');
    const node = new LiveNode(this.#ctx.newId(), t, this.rootId, null, f);
    this.#anchors.set(node.id, node);
    return node;
  }

  /** Stages a new edge from `source` to `target` (default type `Edge`). */
  connect(source: NodeAnchor, target: NodeAnchor, options: ConnectOptions = {}): EdgeAnchor {
    this.#open();
    const opts = parseInput(connectOptionsSchema, options, 'options');
    const s = this.#writable(this.#own(source, 'node', 'source'), 'source');
    const t = this.#writable(this.#own(target, 'node', 'target'), 'target');
    const fields = cloneJson(opts.fields ?? {});
    checkSize(fields, this.#ctx.maxAnchorBytes, 'options.fields');
    const edge = new LiveEdge(this.#ctx.newId(), opts.type ?? 'Edge', this.rootId, null, fields, s.id, t.id);
    this.#anchors.set(edge.id, edge);
    (s.addedEdges ??= []).push(edge.id);
    if (t !== s) (t.addedEdges ??= []).push(edge.id);
    return edge;
  }

  /** Stages removal of an edge from both endpoints. */
  disconnect(edge: EdgeAnchor): void {
    this.#open();
    this.#dropEdge(this.#writable(this.#own(edge, 'edge', 'edge'), 'edge'));
  }

  /** Stages deletion of an anchor; a node's edges go with it (resolved at commit, loaded or not). */
  destroy(anchor: Anchor): void {
    this.#open();
    const live = this.#writable(this.#own(anchor, undefined, 'anchor'), 'anchor');
    if (live.kind === 'edge') {
      this.#dropEdge(live);
      return;
    }
    for (const id of [...(live.addedEdges ?? []), ...(live.storedEdgeIds ?? [])]) {
      const edge = this.#anchors.get(id);
      if (edge?.kind === 'edge' && !edge.destroyed) this.#dropEdge(edge);
    }
    if (live.base === null) this.#anchors.delete(live.id);
    else live.destroyed = true;
  }

  /** Drops every staged change; loaded anchors show their bases again. */
  abort(): void {
    for (const live of [...this.#anchors.values()]) {
      if (live.base === null) {
        this.#anchors.delete(live.id);
        continue;
      }
      live.destroyed = false;
      live.tracker.revert();
      if (live.kind === 'node') {
        live.addedEdges = undefined;
        live.removedEdges = undefined;
      }
    }
  }

  // ── writing ───────────────────────────────────────────────────────────────

  /**
   * Writes this anchor's staged changes now, with what they need to stay whole (its new edges
   * and their new endpoints, its staged edge removals), atomically, through the commit path.
   * Other staged changes stay staged.
   */
  async put(anchor: Anchor): Promise<WriteReceipt> {
    this.#open();
    const live = this.#own(anchor, undefined, 'anchor');
    return this.#write(() => putClosure(this.#anchors, live), false);
  }

  /**
   * `put` for several anchors in one atomic write: each one's staged changes and what they need
   * to stay whole, all or nothing, through the same commit path. Other staged changes stay staged.
   */
  async putMany(anchors: readonly Anchor[]): Promise<WriteReceipt> {
    this.#open();
    const lives = parseInput(anchorListSchema, anchors, 'anchors').map((a, i) => this.#own(a, undefined, `anchors[${i}]`));
    return this.#write(() => [...new Set(lives.flatMap((live) => putClosure(this.#anchors, live)))], false);
  }

  /**
   * Writes every staged change atomically: compare-and-swap per row, rebase onto concurrent
   * writes (edges merge, fields merge per field), retry with backoff. Throws ConflictError
   * (`field_conflict`, `deleted_concurrently`, `read_conflict`, `retries_exhausted`) with
   * nothing written; the session then keeps its staged changes.
   */
  async commit(): Promise<WriteReceipt> {
    this.#open();
    return this.#write(() => [...this.#anchors.values()], this.mode === 'serializable');
  }

  /**
   * What this session's last successful write wrote (see `WriteReceipt`); undefined before any.
   * After `repo.transaction(fn)` resolves, the session `fn` was given says what its commit wrote.
   */
  get lastWrite(): WriteReceipt | undefined {
    return this.#lastWrite;
  }

  /** Commits, then releases the session. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.commit();
    this.#closed = true;
    this.#anchors.clear();
  }

  // ── internals ─────────────────────────────────────────────────────────────

  #open(): void {
    if (this.#closed) throw new ValidationError('session', 'this session is closed');
  }

  #own<K extends Live['kind']>(anchor: unknown, kind: K | undefined, path: string): Extract<Live, { kind: K }> {
    const live = anchor instanceof LiveNode || anchor instanceof LiveEdge ? this.#anchors.get(anchor.id) : undefined;
    if (!live || live !== anchor) throw new ValidationError(path, 'not an anchor of this session (load it with get() first)');
    if (kind && live.kind !== kind) throw new ValidationError(path, `expected a ${kind}, got a ${live.kind}`);
    if (live.destroyed) throw new ValidationError(path, `anchor ${live.id} is staged for deletion`);
    return live as Extract<Live, { kind: K }>;
  }

  #canRead(row: AnchorRow): boolean {
    return this.rootId === SYSTEM_ROOT || row.root === this.rootId || row.root === SYSTEM_ROOT;
  }

  #writable<L extends Live>(live: L, path: string): L {
    if (this.rootId !== SYSTEM_ROOT && live.root !== this.rootId) {
      throw new AccessDeniedError(`${path}: anchor ${live.id} belongs to another root`, { context: { anchorId: live.id } });
    }
    return live;
  }

  #dropEdge(edge: LiveEdge): void {
    for (const end of [edge.source, edge.target]) {
      const node = this.#anchors.get(end);
      if (node?.kind !== 'node') continue;
      if (edge.base === null) node.addedEdges = node.addedEdges?.filter((id) => id !== edge.id);
      else (node.removedEdges ??= new Set()).add(edge.id);
    }
    if (edge.base === null) this.#anchors.delete(edge.id);
    else edge.destroyed = true;
  }

  /** Loads ids not yet known, in one batch; returns anchors in the order asked (undefined: absent or hidden). */
  async #loadMany(ids: readonly string[], strict: boolean): Promise<Array<Live | undefined>> {
    const missing = ids.filter((id) => !this.#anchors.has(id) && !this.#absent.has(id));
    if (missing.length > 0) {
      const rows = await this.#ctx.storage.load(missing);
      for (const id of missing) {
        const row = rows.get(id);
        if (this.#anchors.has(id)) continue; // a concurrent read in this session got there first
        if (!row) {
          this.#absent.add(id);
          continue;
        }
        if (!this.#canRead(row)) {
          if (strict) throw new AccessDeniedError(`anchor ${id} belongs to another root`, { context: { anchorId: id } });
          continue;
        }
        const sync = this.#ctx.storage.capabilities.syncReads
          ? this.#ctx.storage.loadEdgeIdsSync?.bind(this.#ctx.storage)
          : undefined;
        const live = liveFromRow(row, sync);
        if (live.kind === 'node' && !sync)
          live.storedEdgeIds = row.edgeIds ? [...row.edgeIds] : await this.#ctx.storage.loadEdgeIds(id);
        if (!this.#anchors.has(id)) this.#anchors.set(id, live);
      }
    }
    return ids.map((id) => {
      const live = this.#anchors.get(id);
      return live && !live.destroyed ? live : undefined;
    });
  }

  #write(select: () => Live[], serializable: boolean): Promise<WriteReceipt> {
    // Writes of one session run one at a time, each planned from the state the previous left.
    const run = this.#writing.then(async () => {
      const checks = serializable ? this.#readChecks() : [];
      const plan = buildPlan({
        selection: select(),
        checks,
        maxAnchorBytes: this.#ctx.maxAnchorBytes,
        known: (id) => this.#anchors.get(id),
      });
      if (isEmptyPlan(plan)) return (this.#lastWrite = { written: new Map(), deleted: [] });
      const committed = await runCommit(this.#ctx, plan);
      rebaseline(this.#anchors, this.#absent, committed);
      return (this.#lastWrite = { written: committed.written, deleted: committed.deleted });
    });
    this.#writing = run.catch(() => undefined);
    return run;
  }

  #readChecks(): Array<{ id: string; expect: number | null }> {
    const checks: Array<{ id: string; expect: number | null }> = [];
    for (const live of this.#anchors.values()) if (live.base) checks.push({ id: live.id, expect: live.base.version });
    for (const id of this.#absent) checks.push({ id, expect: null });
    return checks;
  }
}
