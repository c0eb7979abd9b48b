import type { CheckCounts } from '../history/check-report.ts';
import type { RaceResult } from './race-result.ts';

/** The history checker's rows, shared by the harnesses' tables. */
export const CHECK_ROWS: ReadonlyArray<[string, (r: Omit<CheckCounts, 'anomalies'>) => number]> = [
  ['lost acknowledged anchors', (r) => r.lost],
  ['zombies (deleted, back)', (r) => r.zombies],
  ['dangling edge ids', (r) => r.dangling],
  ['duplicate profiles', (r) => r.duplicates],
  ['counter drift', (r) => r.counterDrift],
  ['broken version chains', (r) => r.versionChains],
];

const ROWS: ReadonlyArray<[string, (r: RaceResult) => string | number]> = [
  ['acknowledged operations', (r) => r.acknowledged],
  ...CHECK_ROWS,
  ['conflicts met', (r) => r.conflicts],
  ['retries (commit attempts)', (r) => r.retries],
  ['transaction replays', (r) => r.replays],
  ['refused (conflict, nothing written)', (r) => Object.values(r.refused).reduce((a, b) => a + b, 0)],
  ['  of which retries exhausted', (r) => r.exhausted],
  ['unexpected errors', (r) => r.errors],
  ['commit latency p50 (ms)', (r) => r.commitLatencyMs.p50],
  ['commit latency p99 (ms)', (r) => r.commitLatencyMs.p99],
  ['duration (ms)', (r) => r.durationMs],
];

/** The side-by-side table `anchorage race` prints, with a verdict line per mode. */
export function formatRaceTable(results: readonly RaceResult[], header: string): string {
  const width = Math.max(...ROWS.map(([label]) => label.length)) + 2;
  const col = (s: string | number) => String(s).padStart(12);
  const lines = [header, '', `${''.padEnd(width)}${results.map((r) => col(r.mode)).join('')}`];
  for (const [label, value] of ROWS) lines.push(`${label.padEnd(width)}${results.map((r) => col(value(r))).join('')}`);
  lines.push('');
  for (const r of results) {
    lines.push(
      r.anomalies === 0
        ? `${r.mode}: every acknowledged write is in the database (0 anomalies).`
        : `${r.mode}: ${r.anomalies} anomalies — ${r.lost} lost, ${r.zombies} zombies, ${r.dangling} dangling, ${r.duplicates} duplicate profiles, ${r.counterDrift} increments drifted, ${r.versionChains} broken version chains.`,
    );
  }
  return lines.join('\n');
}
