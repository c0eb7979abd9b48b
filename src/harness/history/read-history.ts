import { type HistoryEntry, historyEntrySchema } from './history-entry.ts';
import { readJsonLines } from './json-lines.ts';

export interface History {
  readonly entries: HistoryEntry[];
  /** Final lines cut short by a crash mid-write, skipped. */
  readonly torn: number;
}

/**
 * Reads history files written by HistoryRecorder. A last line without its newline that does
 * not parse is a torn write (the process died mid-line) and is skipped; any other bad line is
 * a ValidationError naming file and line.
 */
export function readHistory(paths: readonly string[]): History {
  return readJsonLines(paths, historyEntrySchema);
}
