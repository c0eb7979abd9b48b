import type { ContenderConnection } from '../contenders/contender.ts';

/** What one process was told succeeded, in a form that crosses process boundaries. */
export interface AckLog {
  /** [node id, field, how many increments of it were acknowledged]. */
  readonly increments: Array<[string, string, number]>;
  /** [parent id, edge id] of every acknowledged edge add. */
  readonly edges: Array<[string, string]>;
}

/** Collects acknowledgements as a process runs. */
export class Acks {
  readonly #increments = new Map<string, Map<string, number>>();
  readonly #edges: Array<[string, string]> = [];

  increment(id: string, field: string): void {
    let fields = this.#increments.get(id);
    if (!fields) this.#increments.set(id, (fields = new Map()));
    fields.set(field, (fields.get(field) ?? 0) + 1);
  }

  edge(parent: string, edge: string): void {
    this.#edges.push([parent, edge]);
  }

  toLog(): AckLog {
    const increments: Array<[string, string, number]> = [];
    for (const [id, fields] of this.#increments) for (const [field, n] of fields) increments.push([id, field, n]);
    return { increments, edges: this.#edges };
  }
}

/**
 * Acknowledged writes the stored state no longer shows: increments missing from a field's final
 * value (each field starts at zero or absent and is only ever incremented), and edge ids missing
 * from the parent's edge list. Logs of all processes of one run are checked together.
 */
export async function countLost(conn: ContenderConnection, logs: readonly AckLog[]): Promise<number> {
  const expected = new Map<string, Map<string, number>>();
  for (const log of logs) {
    for (const [id, field, n] of log.increments) {
      let fields = expected.get(id);
      if (!fields) expected.set(id, (fields = new Map()));
      fields.set(field, (fields.get(field) ?? 0) + n);
    }
  }
  let lost = 0;
  for (const [id, fields] of expected) {
    const stored = (await conn.storedFields(id)) ?? {};
    for (const [field, n] of fields) lost += Math.max(0, n - Number(stored[field] ?? 0));
  }
  const byParent = new Map<string, string[]>();
  for (const log of logs) {
    for (const [parent, edge] of log.edges) {
      const edges = byParent.get(parent);
      if (edges) edges.push(edge);
      else byParent.set(parent, [edge]);
    }
  }
  for (const [parent, edges] of byParent) {
    const present = new Set(await conn.storedEdgeIds(parent));
    lost += edges.filter((e) => !present.has(e)).length;
  }
  return lost;
}
