import { edgeRebased, type JournalEntry } from '../core/journal.ts';
import type { WriteSet, WrittenRow } from '../core/write-set.ts';

/**
 * Notices, as a backend bumps endpoints, which ones other writers had changed since the
 * session's base: those edge lists were rebased in place, and the journal says so.
 */
export class EndpointWatch {
  readonly entries: JournalEntry[] = [];
  readonly #ws: WriteSet;
  readonly #bases: Map<string, WriteSet['endpoints'][number]>;

  constructor(ws: WriteSet) {
    this.#ws = ws;
    this.#bases = new Map(ws.endpoints.map((e) => [e.id, e]));
  }

  /** Call with an endpoint's row after its bump (the bump added one to its version). */
  bumped(id: string, after: WrittenRow): void {
    const base = this.#bases.get(id);
    if (!base) return;
    const entry = edgeRebased(base, after, this.#ws);
    if (entry) this.entries.push(entry);
  }

  /** Every journal entry this write set adds: those from rebases, then the edge ones. */
  journal(): JournalEntry[] {
    return [...this.#ws.journal, ...this.entries];
  }
}
