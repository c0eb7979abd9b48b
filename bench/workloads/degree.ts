import type { SeedSpec } from '../contenders/contender.ts';
import { HOT_ROOT, hubId } from '../seed-data.ts';
import { budget, type Scale, shapes } from './scale.ts';
import type { WorkloadCase } from './workload.ts';

/** One database with items and a hub of each degree, so the degree cases differ only in the node's degree. */
export function graphSeed(scale: Scale): SeedSpec {
  const { graphItems, hubDegrees } = shapes(scale);
  return { items: graphItems, hubs: hubDegrees.map((degree) => ({ id: hubId(degree), degree })) };
}

/** Workload 4: latency of one request that adds an edge (and a child) to a node of degree 10, 1k, 100k. */
export function degreeCases(scale: Scale): WorkloadCase[] {
  return shapes(scale).degrees.map((degree) => ({
    id: `degree-${degree}`,
    group: 'degree',
    label: `degree: add an edge to a node of degree ${degree.toLocaleString('en-US')}`,
    seed: graphSeed(scale),
    procs: 1,
    measure: 'latency',
    thinks: false,
    writes: true,
    budget: budget(scale, { ops: 100, ms: 5000, warmup: 5 }, { ops: 5, ms: 1500, warmup: 1 }),
    async prepare(conn, ctx) {
      const hub = hubId(degree);
      return async () => ctx.acks.edge(hub, await conn.addChild(hub, ctx.think));
    },
    // Warming up on the hub would raise its degree: warm the same path on another node.
    async prepareWarmup(conn, ctx) {
      return async () => ctx.acks.edge(HOT_ROOT, await conn.addChild(HOT_ROOT, ctx.think));
    },
  }));
}
