import { type NodeAnchor, openRepository, type Repository, type RepositoryOptions } from '../../src/index.ts';
import { anchorageLayout } from './anchorage-layout.ts';
import type { ConnectOptions, Contender, ContenderConnection, Layout, Think } from './contender.ts';
import { anchoragePgLayout } from './postgres/anchorage-pg-layout.ts';

async function node(s: ReturnType<Repository['session']>, id: string): Promise<NodeAnchor> {
  const a = await s.get(id);
  if (a?.kind !== 'node') throw new Error(`node ${id} not found`);
  return a;
}

/** anchorage through its public API only: one session per request, `commit()` at the end. */
class AnchorageConnection implements ContenderConnection {
  readonly #repo: Repository;

  constructor(repo: Repository) {
    this.#repo = repo;
  }

  async increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    const s = this.#repo.session();
    const nodes: NodeAnchor[] = [];
    for (const id of ids) nodes.push(await node(s, id));
    await think();
    for (const n of nodes) n.fields[field] = ((n.fields[field] as number | undefined) ?? 0) + 1;
    await s.commit();
  }

  async addChild(parent: string, think: Think): Promise<string> {
    const s = this.#repo.session();
    const p = await node(s, parent);
    await think();
    const edge = s.connect(p, s.create('Child', { name: 'child' }));
    await s.commit();
    return edge.id;
  }

  async getCold(id: string): Promise<unknown> {
    return (await node(this.#repo.session(), id)).fields;
  }

  async openSession(ids: readonly string[]): Promise<(id: string) => unknown> {
    const s = this.#repo.session();
    for (const id of ids) await node(s, id);
    return (id) => s.get(id);
  }

  async neighbors(id: string): Promise<number> {
    const s = this.#repo.session();
    return (await s.neighbors(await node(s, id))).length;
  }

  async storedFields(id: string): Promise<Record<string, unknown> | undefined> {
    const a = await this.#repo.session().get(id);
    return a && { ...a.fields };
  }

  async storedEdgeIds(id: string): Promise<readonly string[]> {
    return (await node(this.#repo.session(), id)).edgeIds;
  }

  close(): Promise<void> {
    return this.#repo.close();
  }
}

/** An anchorage contender; `extra` options are added to every `openRepository` call (e.g. `metrics: false`). */
function anchorageContender(name: string, summary: string, layout: Layout, extra: Partial<RepositoryOptions> = {}): Contender {
  return {
    name,
    summary,
    layout,
    async connect(location: string, connect: ConnectOptions): Promise<ContenderConnection> {
      const repo = await openRepository({
        url: layout.backend === 'sqlite' ? `sqlite:${location}` : location,
        durability: connect.durability,
        busyTimeoutMs: connect.busyTimeoutMs,
        ...extra,
      });
      return new AnchorageConnection(repo);
    },
  };
}

const anchorage = anchorageContender(
  'anchorage',
  'the library through its public API with default options (metrics on): sessions, commit() with CAS, rebase, retry',
  anchorageLayout,
);

const anchorageMetricsOff = anchorageContender(
  'anchorage-metrics-off',
  'the same with `metrics: false`: no prom-client counting, no periodic commit-count writes',
  anchorageLayout,
  { metrics: false },
);

export const anchoragePg = anchorageContender(
  'anchorage-pg',
  'the library on its PostgreSQL backend, default options, through the public API',
  anchoragePgLayout,
);

export const contenders = [anchorage, anchorageMetricsOff];
