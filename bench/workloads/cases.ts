import { degreeCases } from './degree.ts';
import { hotNodeCases } from './hot-node.ts';
import { memoryCases } from './memory.ts';
import { readPathCases } from './read-path.ts';
import type { Scale } from './scale.ts';
import { spreadCases } from './spread.ts';
import { uncontendedCases } from './uncontended.ts';
import type { WorkloadCase } from './workload.ts';

/** Every case, in the order the table shows them. */
export function allCases(scale: Scale): WorkloadCase[] {
  return [
    ...uncontendedCases(scale),
    ...hotNodeCases(scale),
    ...spreadCases(scale),
    ...degreeCases(scale),
    ...readPathCases(scale),
    ...memoryCases(),
  ];
}

export function caseById(scale: Scale, id: string): WorkloadCase {
  const found = allCases(scale).find((c) => c.id === id);
  if (!found) throw new Error(`no workload case ${id}`);
  return found;
}
