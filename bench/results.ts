import type { Contender } from './contenders/contender.ts';
import type { ProcessResult } from './protocol.ts';
import { median, percentile, range } from './stats.ts';
import type { WorkloadCase } from './workloads/workload.ts';

/** One run: one case, one contender, one repetition. */
export interface RunRecord {
  readonly caseId: string;
  readonly contender: string;
  readonly rep: number;
  /** The case's headline: op/s (throughput), ms per operation (latency), bytes per anchor (memory). */
  readonly value?: number;
  readonly p99Ms?: number;
  readonly lost: number;
  readonly failed: number;
  readonly errors: readonly string[];
  /** Set when the run itself broke (a process failed): the contender did not run. */
  readonly error?: string;
  /** How many times the run was started again after its processes failed. */
  readonly repeated?: number;
}

export function recordOf(
  c: WorkloadCase,
  contender: string,
  rep: number,
  results: readonly ProcessResult[],
  lost: number,
): RunRecord {
  const latencies = results.flatMap((r) => r.latenciesMs);
  const value =
    c.measure === 'throughput'
      ? results.reduce((sum, r) => sum + (r.ops * 1000) / r.elapsedMs, 0)
      : c.measure === 'latency'
        ? median(latencies)
        : (results[0]?.heapBytesPerAnchor ?? Number.NaN);
  return {
    caseId: c.id,
    contender,
    rep,
    value,
    ...(c.measure === 'throughput' ? { p99Ms: percentile(latencies, 99) } : {}),
    lost,
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    errors: results.flatMap((r) => r.errors).slice(0, 5),
  };
}

/** One line of the table: a case and a contender, over all repetitions. */
export interface Row {
  readonly caseId: string;
  readonly label: string;
  readonly contender: string;
  readonly measure: WorkloadCase['measure'];
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Throughput and latency: speed relative to `baseline` (>1 is faster). Memory: bytes relative to the anchors' JSON. */
  readonly ratio: number;
  /** The limit contender of the case's backend (`raw`, `raw-pg`). */
  readonly baseline: string;
  readonly p99Ms?: number;
  readonly lost: number;
  readonly failed: number;
  readonly errors: readonly string[];
}

/** Medians over repetitions, ratios to the backend's limit (or, for memory, to `jsonBytes` per anchor). */
export function summarize(
  cases: readonly WorkloadCase[],
  contenders: readonly Contender[],
  records: readonly RunRecord[],
  jsonBytes: number,
): Row[] {
  const rows: Row[] = [];
  for (const c of cases) {
    const of = (name: string) => records.filter((r) => r.caseId === c.id && r.contender === name);
    const values = (name: string) => of(name).flatMap((r) => (r.value === undefined ? [] : [r.value]));
    const mine = contenders.filter((x) => x.layout.backend === (c.backend ?? 'sqlite'));
    const baseline = mine.find((x) => x.limit)?.name ?? 'raw';
    const rawMedian = median(values(baseline));
    for (const { name } of mine) {
      const mine = of(name);
      if (mine.length === 0) continue;
      const v = values(name);
      const m = median(v);
      const p99s = mine.flatMap((r) => (r.p99Ms === undefined ? [] : [r.p99Ms]));
      rows.push({
        caseId: c.id,
        label: c.label,
        contender: name,
        measure: c.measure,
        runs: v.length,
        median: m,
        ...range(v),
        ratio: c.measure === 'memory' ? m / jsonBytes : c.measure === 'throughput' ? m / rawMedian : rawMedian / m,
        baseline,
        ...(p99s.length > 0 ? { p99Ms: median(p99s) } : {}),
        lost: mine.reduce((sum, r) => sum + r.lost, 0),
        failed: mine.reduce((sum, r) => sum + r.failed, 0),
        errors: [...new Set(mine.flatMap((r) => (r.error ? [r.error] : r.errors)))].slice(0, 3),
      });
    }
  }
  return rows;
}
