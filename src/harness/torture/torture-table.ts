import { CHECK_ROWS } from '../race/race-table.ts';
import type { TortureResult } from './torture-result.ts';

const ROWS: ReadonlyArray<[string, (r: TortureResult) => string | number]> = [
  ['kills (SIGKILL)', (r) => r.kills],
  ['  of which inside a commit', (r) => r.killsInCommit],
  ['restarts', (r) => r.restarts],
  ['acknowledged commits', (r) => r.acknowledged],
  ['  not wholly stored', (r) => r.acknowledgedIncomplete],
  ['refused commits (conflicts)', (r) => r.refused],
  ['  of which something stored', (r) => r.refusedApplied],
  ['cut-off commits', (r) => r.cutOff],
  ['  wholly present', (r) => r.cutOffPresent],
  ['  wholly absent', (r) => r.cutOffAbsent],
  ['  counter increments', (r) => r.cutOffCounters],
  ['  partial', (r) => r.partial],
  ...CHECK_ROWS,
  ['anchorage check findings', (r) => r.findings],
  ['orphan nodes (reported only)', (r) => r.orphans],
  ['integrity_check', (r) => r.integrity],
  ['torn log lines (skipped)', (r) => r.torn],
  ['unexpected errors', (r) => r.errors],
  ['duration (ms)', (r) => r.durationMs],
];

/** The table `anchorage torture` prints, with a verdict line. */
export function formatTortureTable(r: TortureResult, header: string): string {
  const width = Math.max(...ROWS.map(([label]) => label.length)) + 2;
  const lines = [header, '', ...ROWS.map(([label, value]) => `${label.padEnd(width)}${String(value(r)).padStart(10)}`), ''];
  lines.push(
    r.anomalies === 0
      ? `every acknowledged commit is stored, every cut-off commit is whole or absent (0 anomalies after ${r.kills} kills).`
      : `${r.anomalies} anomalies after ${r.kills} kills.`,
  );
  for (const message of r.errorMessages) lines.push(`error: ${message}`);
  return lines.join('\n');
}
