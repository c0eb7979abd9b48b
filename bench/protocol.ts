import type { AckLog } from './workloads/acks.ts';
import type { Scale } from './workloads/scale.ts';

/** What the parent asks one child process to do (passed as its JSON argument). */
export interface Job {
  readonly caseId: string;
  readonly scale: Scale;
  readonly contender: string;
  readonly db: string;
  readonly proc: number;
  readonly procs: number;
  /** Seed of this process's random sequence (same for every contender of one repetition). */
  readonly seed: number;
  readonly thinkMs: number;
  readonly durability: 'full' | 'normal';
  readonly busyTimeoutMs: number;
}

/** What one process measured. */
export interface ProcessResult {
  readonly ops: number;
  readonly elapsedMs: number;
  /** Per timed operation (divided by reads per operation where the case says so). */
  readonly latenciesMs: number[];
  /** Operations that threw: not acknowledged, so never counted as lost. */
  readonly failed: number;
  readonly errors: string[];
  readonly acks: AckLog;
  /** Heap cases: bytes the unit of work added, per anchor held. */
  readonly heapBytesPerAnchor?: number;
}

export type ToChild = { readonly type: 'go' };
export type FromChild =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly result: ProcessResult }
  | { readonly type: 'failed'; readonly message: string };
