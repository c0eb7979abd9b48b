import { readFileSync } from 'node:fs';
import { ValidationError } from '../../index.ts';
import { type HistoryEntry, historyEntrySchema } from './history-entry.ts';

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
  const entries: HistoryEntry[] = [];
  let torn = 0;
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (line === '') continue;
      const last = i === lines.length - 1;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (cause) {
        if (last) {
          torn++;
          continue;
        }
        throw new ValidationError(`${path}:${i + 1}`, 'not a JSON line', { cause });
      }
      const result = historyEntrySchema.safeParse(parsed);
      if (!result.success) {
        throw new ValidationError(`${path}:${i + 1}`, result.error.issues[0]?.message ?? 'not a history entry', {
          cause: result.error,
        });
      }
      entries.push(result.data);
    }
  }
  return { entries, torn };
}
