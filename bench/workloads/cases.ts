import { degreeCases } from './degree.ts';
import { hotNodeCases } from './hot-node.ts';
import { memoryCases } from './memory.ts';
import { readPathCases } from './read-path.ts';
import type { Scale } from './scale.ts';
import { spreadCases } from './spread.ts';
import { uncontendedCases } from './uncontended.ts';
import type { WorkloadCase } from './workload.ts';

/** Workloads 1–3 again, for the contenders on PostgreSQL (run when `--db` is given). */
function onPostgres(c: WorkloadCase): WorkloadCase {
  return { ...c, id: `pg-${c.id}`, group: `pg-${c.group}`, label: `PostgreSQL ${c.label}`, backend: 'postgres' };
}

/** Every case, in the order the table shows them. */
export function allCases(scale: Scale): WorkloadCase[] {
  const contended = [...uncontendedCases(scale), ...hotNodeCases(scale), ...spreadCases(scale)];
  return [...contended, ...degreeCases(scale), ...readPathCases(scale), ...memoryCases(scale), ...contended.map(onPostgres)];
}

export function caseById(scale: Scale, id: string): WorkloadCase {
  const found = allCases(scale).find((c) => c.id === id);
  if (!found) throw new Error(`no workload case ${id}`);
  return found;
}
