import type { Backend, ContenderConnection, SeedSpec, Think } from '../contenders/contender.ts';
import type { Acks } from './acks.ts';
import type { Budget } from './scale.ts';

/** What one process of a run knows about itself. */
export interface ProcessContext {
  /** This process's index, 0 … procs-1. */
  readonly proc: number;
  readonly procs: number;
  /** Seeded per run and process, so every contender meets the same sequence. */
  readonly random: () => number;
  readonly think: Think;
  readonly acks: Acks;
}

/** One timed operation. */
export type Op = () => Promise<void>;

interface CaseBase {
  /** Stable id, used by `--only` and in the JSON: `uncontended-1`, `hot-8`, … */
  readonly id: string;
  /** Workload family (`uncontended`, `hot`, `spread`, `degree`, `read`, `memory`; `pg-…` on PostgreSQL). */
  readonly group: string;
  /** Which contenders it runs: those whose layout is on this backend (default SQLite). */
  readonly backend?: Backend;
  /** Table label. */
  readonly label: string;
  readonly seed: SeedSpec;
  /** Whether it writes: each run then gets a fresh copy of the seeded file; read-only cases share it. */
  readonly writes: boolean;
}

/** A case timed operation by operation; its headline is throughput (higher is better) or latency (lower is better). */
export interface TimedCase extends CaseBase {
  readonly measure: 'throughput' | 'latency';
  readonly procs: number;
  /** Whether requests hold their reads across a think time (multi-step sessions). */
  readonly thinks: boolean;
  /** Reads per timed operation, for reads too fast to time one by one; latency is reported per read. */
  readonly perOp?: number;
  /** A process stops after `ops` timed operations or `ms`, whichever comes first. */
  readonly budget: Budget;
  /** Builds this process's operation (loads what it needs first; not timed). */
  prepare(conn: ContenderConnection, ctx: ProcessContext): Promise<Op>;
  /** The warm-up operation, where warming up with `prepare`'s would change what is measured. */
  prepareWarmup?(conn: ContenderConnection, ctx: ProcessContext): Promise<Op>;
}

/** A case that measures the heap a unit of work holding every seeded item takes (lower is better). */
export interface HeapCase extends CaseBase {
  readonly measure: 'memory';
  readonly procs: 1;
}

export type WorkloadCase = TimedCase | HeapCase;
