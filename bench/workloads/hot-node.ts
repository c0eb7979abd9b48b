import { HOT_ROOT } from '../seed-data.ts';
import { contended, type Scale, shapes } from './scale.ts';
import type { WorkloadCase } from './workload.ts';

/** Workload 2, the seed's hot spot: every request of 1–8 processes adds a new child under one user's root. */
export function hotNodeCases(scale: Scale): WorkloadCase[] {
  return shapes(scale).hotProcs.map((procs) => ({
    id: `hot-${procs}`,
    group: 'hot',
    label: `hot node: ${procs} process${procs === 1 ? '' : 'es'} add edges to one root`,
    seed: { items: 0, hubs: [] },
    procs,
    ...contended(scale),
    async prepare(conn, ctx) {
      return async () => ctx.acks.edge(HOT_ROOT, await conn.addChild(HOT_ROOT, ctx.think));
    },
  }));
}
