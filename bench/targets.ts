import type { Row } from './results.ts';
import { formatValue } from './table.ts';

export interface Target {
  readonly name: string;
  /** The measured figures behind the verdict, or why it could not be judged. */
  readonly measured: string;
  /** Undefined: the cases it needs were not run (see `--only`). */
  readonly met: boolean | undefined;
}

type Find = (caseId: string, contender: string) => Row | undefined;

function judge(name: string, needs: ReadonlyArray<Row | undefined>, verdict: (rows: Row[]) => [boolean, string]): Target {
  const rows = needs.filter((r): r is Row => r !== undefined && Number.isFinite(r.median));
  if (rows.length < needs.length) return { name, measured: 'not run', met: undefined };
  const [met, measured] = verdict(rows);
  return { name, measured, met };
}

const x = (n: number) => `${n.toFixed(2)}×`;

/** The targets, judged on medians of this run. */
export function evaluateTargets(rows: readonly Row[]): Target[] {
  const find: Find = (caseId, contender) => rows.find((r) => r.caseId === caseId && r.contender === contender);
  const ours = [...new Set(rows.map((r) => r.contender).filter((c) => c.startsWith('anchorage')))];
  const targets: Target[] = [];
  for (const caseId of ['uncontended-1', 'uncontended-100']) {
    targets.push(
      judge(`${caseId}: anchorage ≥ 0.8× raw`, [find(caseId, 'anchorage')], ([a]) => [
        (a as Row).ratio >= 0.8,
        `${x((a as Row).ratio)} raw`,
      ]),
    );
  }
  targets.push(
    judge(
      'hot-8: anchorage ≥ 1.2× immediate throughput, p99 ≤ 0.5× immediate, 0 lost',
      [find('hot-8', 'anchorage'), find('hot-8', 'immediate')],
      ([a, i]) => {
        const speed = (a as Row).median / (i as Row).median;
        const tail = ((a as Row).p99Ms ?? Number.NaN) / ((i as Row).p99Ms ?? Number.NaN);
        return [
          speed >= 1.2 && tail <= 0.5 && (a as Row).lost === 0,
          `${x(speed)} throughput, ${x(tail)} p99, ${(a as Row).lost} lost`,
        ];
      },
    ),
  );
  targets.push(
    judge(
      'degree: anchorage 100k ≤ 2× degree 10',
      [find('degree-100000', 'anchorage'), find('degree-10', 'anchorage')],
      ([big, small]) => {
        const r = (big as Row).median / (small as Row).median;
        return [
          r <= 2,
          `${x(r)} (${formatValue('latency', (big as Row).median)} vs ${formatValue('latency', (small as Row).median)})`,
        ];
      },
    ),
  );
  targets.push(
    judge('memory: anchorage session ≤ 3× the anchors’ JSON', [find('memory-100k', 'anchorage')], ([m]) => [
      (m as Row).ratio <= 3,
      `${x((m as Row).ratio)} JSON (${formatValue('memory', (m as Row).median)})`,
    ]),
  );
  for (const name of ours) {
    const mine = rows.filter((r) => r.contender === name);
    const lost = mine.reduce((sum, r) => sum + r.lost, 0);
    targets.push({
      name: `${name}: zero lost writes in every workload`,
      measured: `${lost} lost in ${mine.length} cases`,
      met: lost === 0,
    });
  }
  return targets;
}

export function renderTargets(targets: readonly Target[]): string {
  const mark = (t: Target) => (t.met === undefined ? 'not run' : t.met ? 'met' : 'MISSED');
  return targets.map((t) => `- ${mark(t)}: ${t.name} — ${t.measured}`).join('\n');
}
