import { hubId } from '../seed-data.ts';
import { budget, type Scale } from './scale.ts';
import type { WorkloadCase } from './workload.ts';

export const DEGREES = [10, 1000, 100_000] as const;

/** One database with a hub of each degree, so the cases differ only in the node's degree. */
export const GRAPH_SEED = { items: 10_000, hubs: DEGREES.map((degree) => ({ id: hubId(degree), degree })) };

/** Workload 4: latency of one request that adds an edge (and a child) to a node of degree 10, 1k, 100k. */
export function degreeCases(scale: Scale): WorkloadCase[] {
  return DEGREES.map((degree) => ({
    id: `degree-${degree}`,
    group: 'degree',
    label: `degree: add an edge to a node of degree ${degree.toLocaleString('en-US')}`,
    seed: GRAPH_SEED,
    procs: 1,
    measure: 'latency',
    thinks: false,
    writes: true,
    budget: budget(scale, { ops: 100, ms: 5000, warmup: 5 }, { ops: 5, ms: 1500, warmup: 1 }),
    async prepare(conn, ctx) {
      const hub = hubId(degree);
      return async () => ctx.acks.edge(hub, await conn.addChild(hub, ctx.think));
    },
  }));
}
