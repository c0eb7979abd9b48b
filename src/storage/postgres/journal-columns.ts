import type { JournalEntry } from '../../core/journal.ts';

type Column = readonly [name: string, type: 'bigint' | 'text', value: (e: JournalEntry) => number | string];

/**
 * The conflict journal's columns as the statements write them: name, SQL type, and an entry's
 * value. One list, so the statements' column order and their arguments' order cannot drift apart.
 */
export const JOURNAL_COLUMNS: readonly Column[] = [
  ['at', 'bigint', (e) => e.at],
  ['commit_id', 'text', (e) => e.commitId],
  ['writer', 'text', (e) => e.writer],
  ['anchor_id', 'text', (e) => e.anchorId],
  ['anchor_type', 'text', (e) => e.type],
  ['kind', 'text', (e) => e.kind],
  ['resolution', 'text', (e) => e.resolution],
  ['fields', 'text', (e) => JSON.stringify(e.fields)],
  ['edges', 'text', (e) => JSON.stringify(e.edges)],
  ['writers', 'text', (e) => JSON.stringify(e.writers)],
];

/** Journal entries as the parallel arrays (one per column) the journal statements take. */
export function journalColumns(entries: readonly JournalEntry[]): unknown[][] {
  return JOURNAL_COLUMNS.map(([, , value]) => entries.map(value));
}
