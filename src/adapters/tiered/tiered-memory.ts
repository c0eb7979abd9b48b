import { AccessDeniedError, hasCode, ValidationError } from '../../core/errors.ts';
import type { Fields } from '../../core/row.ts';
import type { Anchor, EdgeAnchor, NodeAnchor } from '../../repository/anchors.ts';
import type { Repository, SessionOptions } from '../../repository/repository.ts';
import type { Session } from '../../repository/session.ts';
import type { ConnectOptions, NeighborsOptions } from '../../repository/session-options.ts';
import { idSchema, parseInput } from '../../repository/validation.ts';
import { mayWrite } from './access.ts';
import { filterSchema, idsSchema, type RemoveTargets, removeTargetsSchema } from './memory-inputs.ts';

/** Options of a tiered memory: the user root it acts for, and the session mode. */
export type TieredMemoryOptions = SessionOptions;

function skipDenied(error: unknown): undefined {
  if (hasCode(error, 'access_denied')) return undefined;
  throw error;
}

/**
 * A per-request memory with the surface of a Jac-style `TieredMemory`: L1 is this memory's
 * session (an identity map of the anchors the request touched), L2 is the repository.
 *
 * Unlike the seed's `SqliteMemory.put()`, no method writes a whole stored blob: `put`, `putMany`,
 * `commit`, `sync` and `close` all go through the session's one commit path, so each write sends
 * only this request's delta (fields it changed, edges it added or removed, its deletes) as a
 * compare-and-swap, rebased and retried on a concurrent write. A stale memory therefore keeps
 * every edge another request committed. Conflicts a merge cannot resolve (the same field changed
 * by both, a change to a node deleted since) throw `ConflictError` with nothing of that write
 * stored; the memory keeps its staged changes. Use one memory per request, never shared.
 */
export class TieredMemory {
  /** The user root this memory acts for (the system root when none was given). */
  readonly rootId: string;
  readonly #session: Session;
  /** Anchors this memory handed out, by id: what `isCached` answers from. */
  readonly #l1 = new Map<string, Anchor>();

  constructor(repo: Repository, options: TieredMemoryOptions = {}) {
    if (typeof (repo as { session?: unknown })?.session !== 'function') {
      throw new ValidationError('repo', 'must be a Repository (from openRepository)');
    }
    this.#session = repo.session(options);
    this.rootId = this.#session.rootId;
  }

  // ── reading (L1, then L2) ─────────────────────────────────────────────────

  /** The root node of this memory's user; its row is created on first use, idempotently. */
  async getRoot(): Promise<NodeAnchor> {
    return this.#keep(await this.#session.root());
  }

  /** The anchor with this id, or undefined; another root's anchor is `AccessDeniedError`. */
  async findById(id: string): Promise<Anchor | undefined> {
    const anchor = await this.#session.get(id);
    return anchor && this.#keep(anchor);
  }

  /**
   * The anchors among `ids` this root can read that pass `filter`, in the order asked
   * (duplicates once). Absent ids and other roots' anchors are skipped, as in `neighbors`.
   */
  async find(ids: string | readonly string[], filter?: (anchor: Anchor) => boolean): Promise<Anchor[]> {
    const list = parseInput(idsSchema, ids, 'ids');
    const keep = parseInput(filterSchema, filter, 'filter');
    const wanted = typeof list === 'string' ? [list] : [...new Set(list)];
    const found = await Promise.all(wanted.map((id) => this.#session.get(id).catch(skipDenied)));
    return found.filter((a): a is Anchor => a !== undefined && (keep === undefined || keep(a))).map((a) => this.#keep(a));
  }

  /** The first anchor `find(ids, filter)` would return. */
  async findOne(ids: string | readonly string[], filter?: (anchor: Anchor) => boolean): Promise<Anchor | undefined> {
    return (await this.find(ids, filter))[0];
  }

  /** Whether this memory holds the anchor already (no storage read needed); false once removed. */
  isCached(id: string): boolean {
    return this.#l1.has(parseInput(idSchema, id, 'id'));
  }

  /** The edges at a node (either endpoint), in edge-list order. */
  async edges(node: NodeAnchor): Promise<EdgeAnchor[]> {
    return (await this.#session.edges(node)).map((e) => this.#keep(e));
  }

  /** Nodes across a node's edges; options as `Session.neighbors` (`direction`, `type`, `edgeType`). */
  async neighbors(node: NodeAnchor, options?: NeighborsOptions): Promise<NodeAnchor[]> {
    return (await this.#session.neighbors(node, options)).map((n) => this.#keep(n));
  }

  /** True when the anchor exists and this memory's root may read it. */
  async canRead(id: string): Promise<boolean> {
    return (await this.#session.get(id).catch(skipDenied)) !== undefined;
  }

  /** True when this memory's root may change the anchor: its own, or any for the system root. */
  canWrite(anchor: Anchor): boolean {
    return mayWrite(this.rootId, anchor);
  }

  // ── staging (synchronous, written by put/commit/sync/close) ───────────────

  /** Stages a new node owned by this memory's root. */
  create(type: string, fields?: Fields): NodeAnchor {
    return this.#keep(this.#session.create(type, fields));
  }

  /** Stages an edge (default type `Edge`); both endpoints must be writable by this root. */
  connect(source: NodeAnchor, target: NodeAnchor, options?: ConnectOptions): EdgeAnchor {
    return this.#keep(this.#session.connect(source, target, options));
  }

  /** Stages removal of an edge from both endpoints. */
  disconnect(edge: EdgeAnchor): void {
    this.#session.disconnect(edge);
    this.#l1.delete(edge.id);
  }

  /**
   * Stages deletion of anchors given by id or object (a node takes its edges with it); written by
   * the next `commit`/`sync`/`close`. All or nothing: an anchor of another root
   * (`AccessDeniedError`) or of another memory (`ValidationError`) refuses the whole call.
   * Ids already gone are skipped, so two requests removing the same anchor both succeed.
   */
  async remove(targets: RemoveTargets): Promise<void> {
    const parsed = parseInput(removeTargetsSchema, targets, 'targets');
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const doomed = new Map<string, Anchor>();
    for (const [i, target] of list.entries()) {
      const path = Array.isArray(parsed) ? `targets[${i}]` : 'targets';
      const id = typeof target === 'string' ? target : target.id;
      const anchor = await this.#session.get(id);
      if (anchor === undefined) continue;
      if (typeof target !== 'string' && anchor !== target) throw new ValidationError(path, 'not an anchor of this memory');
      if (!this.canWrite(anchor)) {
        throw new AccessDeniedError(`${path}: anchor ${id} belongs to another root`, { context: { anchorId: id } });
      }
      doomed.set(id, anchor);
    }
    // Edges first: a node's delete already takes its edges, and a second delete would be refused.
    const ordered = [...doomed.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'edge' ? -1 : 1));
    for (const anchor of ordered) {
      if (anchor.kind === 'node') for (const edgeId of anchor.edgeIds) this.#l1.delete(edgeId);
      this.#session.destroy(anchor);
      this.#l1.delete(anchor.id);
    }
  }

  // ── writing: one commit path ──────────────────────────────────────────────

  /**
   * Writes this anchor's staged changes now (its new edges and their new endpoints with it),
   * atomically, as a delta merged onto what is stored; other staged changes stay staged.
   */
  async put(anchor: Anchor): Promise<void> {
    await this.#session.put(anchor);
  }

  /** `put` for several anchors as one atomic write: all of them, or nothing. */
  async putMany(anchors: readonly Anchor[]): Promise<void> {
    await this.#session.putMany(anchors);
  }

  /** With an anchor, `put(anchor)`; without, writes every staged change atomically (as `sync`). */
  async commit(anchor?: Anchor): Promise<void> {
    if (anchor === undefined) await this.#session.commit();
    else await this.#session.put(anchor);
  }

  /** Writes every staged change atomically; the memory stays open. */
  async sync(): Promise<void> {
    await this.#session.commit();
  }

  /** Writes every staged change, then releases the memory; later use is a `ValidationError`. Idempotent. */
  async close(): Promise<void> {
    await this.#session.close();
    this.#l1.clear();
  }

  #keep<A extends Anchor>(anchor: A): A {
    this.#l1.set(anchor.id, anchor);
    return anchor;
  }
}
