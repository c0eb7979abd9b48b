import { parseArgs } from 'node:util';
import type { Scale } from './workloads/scale.ts';

export interface BenchOptions {
  readonly scale: Scale;
  readonly json: string | undefined;
  /** Case ids, workload groups or contender names; empty: everything. */
  readonly only: readonly string[];
  readonly db: string | undefined;
  readonly reps: number;
  readonly thinkMs: number;
  readonly durability: 'full' | 'normal';
  readonly busyTimeoutMs: number;
  /** Where children write `--cpu-prof` profiles; none when undefined. */
  readonly cpuProf: string | undefined;
}

export const USAGE = `npm run bench -- [options]
  --quick            short smoke run: same workloads and contenders, few operations, one repetition
  --json <file>      also write every run and the summary as JSON
  --only <names>     comma-separated case ids (hot-8), workloads (hot, degree) or contenders (anchorage); raw always runs
  --db <url>         also run workloads 1–3 on PostgreSQL (postgres://…), where that backend exists
  --reps <n>         repetitions per case (default 3, quick 1)
  --think-ms <ms>    think time of multi-step requests, between read and write (default 1)
  --durability <d>   full (default) or normal, the same for every contender
  --cpu-prof <dir>   write a CPU profile of every child process to <dir>`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${text}`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      only: { type: 'string', multiple: true },
      db: { type: 'string' },
      reps: { type: 'string' },
      'think-ms': { type: 'string' },
      durability: { type: 'string', default: 'full' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  if (values.durability !== 'full' && values.durability !== 'normal') throw new Error('--durability must be full or normal');
  if (values.db !== undefined && !/^postgres(ql)?:\/\//.test(values.db)) throw new Error('--db must be a postgres:// url');
  const scale: Scale = values.quick ? 'quick' : 'full';
  return {
    scale,
    json: values.json,
    only: (values.only ?? [])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean),
    db: values.db,
    reps: Math.max(1, Math.round(positive('--reps', values.reps, scale === 'full' ? 3 : 1))),
    thinkMs: positive('--think-ms', values['think-ms'], 1),
    durability: values.durability,
    busyTimeoutMs: 5000,
    cpuProf: values['cpu-prof'],
  };
}
