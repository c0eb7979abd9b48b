import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, EntitySchema, In, OptimisticLockVersionMismatchError } from 'typeorm';
import type { ConnectOptions, Contender, ContenderConnection, Think } from '../contenders/contender.ts';
import { isBusy } from '../contenders/sql-connection.ts';
import { applyPragmas } from '../contenders/sqlite-file.ts';
import { ormLayout, type PeerEdge, type PeerNode, RootDatabase } from './orm-layout.ts';

const MAX_ATTEMPTS = 1000;

// EntitySchema is TypeORM's decorator-free mapping; `version: true` is what @VersionColumn declares.
const Nodes = new EntitySchema<PeerNode>({
  name: 'PeerNode',
  tableName: 'peer_nodes',
  columns: {
    id: { type: String, primary: true },
    type: { type: String },
    fields: { type: 'simple-json' },
    version: { type: Number, version: true },
  },
});

const Edges = new EntitySchema<PeerEdge>({
  name: 'PeerEdge',
  tableName: 'peer_edges',
  columns: { id: { type: String, primary: true }, source: { type: String }, target: { type: String } },
});

/**
 * TypeORM 1.1 as its documentation suggests for optimistic locking: `save()` bumps the
 * @VersionColumn but does not check it, so the transaction first re-reads each row with
 * `lock: { mode: 'optimistic', version }` (OptimisticLockVersionMismatchError on a change); the
 * request is retried on that error and on a busy database.
 */
class TypeormConnection implements ContenderConnection {
  readonly #ds: DataSource;

  constructor(ds: DataSource) {
    this.#ds = ds;
  }

  async #retried<T>(work: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(attempt);
      } catch (error) {
        const again =
          error instanceof OptimisticLockVersionMismatchError ||
          isBusy((error as { driverError?: unknown }).driverError ?? error);
        if (!again || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    return this.#retried(async (attempt) => {
      const nodes: PeerNode[] = [];
      for (const id of ids) nodes.push(await this.#ds.manager.findOneByOrFail(Nodes, { id }));
      if (attempt === 1) await think();
      for (const n of nodes) n.fields = { ...n.fields, [field]: ((n.fields[field] as number | undefined) ?? 0) + 1 };
      await this.#ds.transaction(async (m: EntityManager) => {
        for (const n of nodes) await m.findOne(Nodes, { where: { id: n.id }, lock: { mode: 'optimistic', version: n.version } });
        await m.save(Nodes, nodes);
      });
    });
  }

  addChild(parent: string, think: Think): Promise<string> {
    return this.#retried(async (attempt) => {
      await this.#ds.manager.findOneByOrFail(Nodes, { id: parent });
      if (attempt === 1) await think();
      const child: PeerNode = { id: randomUUID(), type: 'Child', fields: { name: 'child' }, version: 1 };
      const edge: PeerEdge = { id: randomUUID(), source: parent, target: child.id };
      await this.#ds.transaction(async (m: EntityManager) => {
        await m.save(Nodes, child);
        await m.save(Edges, edge);
      });
      return edge.id;
    });
  }

  async getCold(id: string): Promise<unknown> {
    return (await this.#ds.manager.findOneByOrFail(Nodes, { id })).fields;
  }

  async openSession(ids: readonly string[]): Promise<(id: string) => unknown> {
    // TypeORM has no identity map: a request keeps what it loaded itself.
    const held = new Map<string, PeerNode>();
    for (const id of ids) held.set(id, await this.#ds.manager.findOneByOrFail(Nodes, { id }));
    return (id) => held.get(id);
  }

  async neighbors(id: string): Promise<number> {
    const edges = await this.#ds.manager.findBy(Edges, { source: id });
    return (await this.#ds.manager.findBy(Nodes, { id: In(edges.map((e) => e.target)) })).length;
  }

  async storedFields(id: string): Promise<Record<string, unknown> | undefined> {
    return (await this.#ds.manager.findOneBy(Nodes, { id }))?.fields;
  }

  async storedEdgeIds(id: string): Promise<readonly string[]> {
    return (await this.#ds.manager.findBy(Edges, { source: id })).map((e) => e.id);
  }

  close(): Promise<void> {
    return this.#ds.destroy();
  }
}

export const typeorm: Contender = {
  name: 'typeorm',
  summary: 'TypeORM 1.1 entities, @VersionColumn with its optimistic-lock check in the transaction, retry (peer)',
  layout: ormLayout,
  async connect(path: string, options: ConnectOptions): Promise<ContenderConnection> {
    const ds = new DataSource({
      type: 'better-sqlite3',
      driver: RootDatabase,
      database: path,
      entities: [Nodes, Edges],
      timeout: options.busyTimeoutMs,
      prepareDatabase: (db) => applyPragmas(db, options),
    });
    return new TypeormConnection(await ds.initialize());
  },
};
