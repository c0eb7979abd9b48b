import type { Row } from './results.ts';
import { formatValue } from './table.ts';
import type { WorkloadCase } from './workloads/workload.ts';

export interface Target {
  readonly name: string;
  /** The measured figures behind the verdict, or why it could not be judged. */
  readonly measured: string;
  /** Undefined: the cases it needs were not run (see `--only`). */
  readonly met: boolean | undefined;
}

function judge(name: string, needs: ReadonlyArray<Row | undefined>, verdict: (rows: Row[]) => [boolean, string]): Target {
  const rows = needs.filter((r): r is Row => r !== undefined && Number.isFinite(r.median));
  if (rows.length < needs.length) return { name, measured: 'not run', met: undefined };
  const [met, measured] = verdict(rows);
  return { name, measured, met };
}

const x = (n: number) => `${n.toFixed(2)}×`;

/**
 * The targets, judged on medians of this run, on the cases of this scale: the hot-node
 * case with the most processes, the smallest and largest degree, the memory case.
 */
export function evaluateTargets(rows: readonly Row[], cases: readonly WorkloadCase[]): Target[] {
  const find = (c: WorkloadCase | undefined, contender: string) =>
    rows.find((r) => r.caseId === c?.id && r.contender === contender);
  const byGroup = (group: string) => cases.filter((c) => c.group === group);
  const hottest = byGroup('hot').at(-1);
  const [lowDegree, highDegree] = [byGroup('degree').at(0), byGroup('degree').at(-1)];
  const heap = byGroup('memory').at(0);
  const targets: Target[] = [];
  for (const c of byGroup('uncontended')) {
    targets.push(
      judge(`${c.id}: anchorage ≥ 0.8× raw`, [find(c, 'anchorage')], ([a]) => [
        (a as Row).ratio >= 0.8,
        `${x((a as Row).ratio)} raw`,
      ]),
    );
  }
  targets.push(
    judge(
      `${hottest?.id ?? 'hot'}: anchorage ≥ 1.2× immediate throughput, p99 ≤ 0.5× immediate's, 0 lost`,
      [find(hottest, 'anchorage'), find(hottest, 'immediate')],
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
      `${highDegree?.id ?? 'degree'}: anchorage ≤ 2× ${lowDegree?.id ?? 'the smallest degree'}`,
      [find(highDegree, 'anchorage'), find(lowDegree, 'anchorage')],
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
    judge(`${heap?.id ?? 'memory'}: anchorage session ≤ 3× the anchors' JSON`, [find(heap, 'anchorage')], ([m]) => [
      (m as Row).ratio <= 3,
      `${x((m as Row).ratio)} JSON (${formatValue('memory', (m as Row).median)})`,
    ]),
  );
  for (const name of new Set(rows.map((r) => r.contender).filter((c) => c.startsWith('anchorage')))) {
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
