import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PAUSE_BEFORE_COMMIT_ENV, PAUSE_MARKERS } from '../../storage/sqlite/test-pause.ts';
import type { TortureFleetMessage, TortureWorkerConfig, TortureWorkerMessage } from './torture-options.ts';

const WORKER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './torture-worker.ts' : './torture-worker.js', import.meta.url),
);

/** One process run of one worker slot: the first, or a restart after a kill. */
export interface Incarnation {
  readonly slot: number;
  readonly name: string;
  readonly config: TortureWorkerConfig;
  readonly child: ChildProcess;
  /** Working (it opened the database and started the workload). */
  ready: boolean;
  /** When it started working (ms since the epoch). */
  readyAt: number;
  /** Between a `paused` marker and the next `left`: inside a commit, its writes done, COMMIT not yet. */
  inCommit: boolean;
  killed: boolean;
  /** Set when the process is gone and its stderr is read to the end. */
  closed: boolean;
}

/** A forked worker process: loading, a loaded spare, or running an incarnation. */
interface WorkerProcess {
  readonly child: ChildProcess;
  loaded: boolean;
  inc?: Incarnation;
}

export interface FleetOptions {
  readonly procs: number;
  /** Processes kept loaded ahead of need, so a killed worker is replaced at once. */
  readonly spares: number;
  /** The pause between a commit's writes and COMMIT, in every worker (test-only backend hook). */
  readonly pauseMs: number;
  /** The config of incarnation `n` (0, 1, …) of slot `slot`. */
  configFor(slot: number, n: number): TortureWorkerConfig;
}

/**
 * Worker processes on one database: `procs` slots, each given a new process as soon as its last
 * one dies, until `stop()`. Loading a process takes seconds, so spares are kept loaded ahead.
 * Reads each worker's stderr for the backend's pause markers, so it knows which kills landed
 * inside a commit. Errors workers report, and unexpected exits, are collected in `errors`.
 */
export class WorkerFleet {
  readonly incarnations: Incarnation[] = [];
  readonly errors: string[] = [];
  kills = 0;
  readonly #options: FleetOptions;
  readonly #processes = new Set<WorkerProcess>();
  readonly #closed: Array<Promise<void>> = [];
  /** Slots waiting for a loaded process, in order. */
  readonly #waiting: number[] = [];
  readonly #spawned = new Map<number, number>();
  #waiters: Array<() => void> = [];
  #stopping = false;
  #unexpected = 0;

  constructor(options: FleetOptions) {
    this.#options = options;
  }

  start(): void {
    for (let slot = 0; slot < this.#options.procs; slot++) this.#waiting.push(slot);
    this.#topUp();
  }

  /** Kills (SIGKILL) that landed inside a commit, as each dead worker's markers tell. */
  get killsInCommit(): number {
    return this.incarnations.filter((i) => i.killed && i.closed && i.inCommit).length;
  }

  /** Workers died unkilled so often that the campaign must end (their errors say why). */
  get failing(): boolean {
    return this.#unexpected > this.#options.procs * 2;
  }

  /**
   * A worker that has been working for at least `minAgeMs`, chosen by `pick(count)`; waits until
   * one has. Undefined when the fleet is failing.
   */
  async readyVictim(pick: (count: number) => number, minAgeMs: number): Promise<Incarnation | undefined> {
    for (;;) {
      if (this.failing) return undefined;
      const working = this.incarnations.filter((i) => i.ready && !i.killed && !i.closed);
      const old = working.filter((i) => Date.now() - i.readyAt >= minAgeMs);
      if (old.length > 0) return old[pick(old.length)] as Incarnation;
      const soonest = Math.min(...working.map((i) => i.readyAt + minAgeMs - Date.now()));
      await this.#changed(Number.isFinite(soonest) ? soonest : undefined);
    }
  }

  /** Resolves when `victim` pauses inside a commit, or after `timeoutMs`, or when it is gone. */
  async nextPause(victim: Incarnation, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!victim.inCommit && !victim.closed && Date.now() < deadline) await this.#changed(deadline - Date.now());
  }

  /** SIGKILLs a worker (its slot gets a new one); false when it had already died. */
  kill(victim: Incarnation): boolean {
    if (victim.closed || victim.killed || victim.child.exitCode !== null) return false;
    victim.killed = true;
    victim.child.kill('SIGKILL');
    this.kills++;
    return true;
  }

  /** Tells every worker to finish what it has in flight and exit; resolves when all are gone. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const p of this.#processes) {
      if (p.inc?.ready) this.#send(p, { type: 'stop' });
      else if (!p.inc) p.child.kill('SIGKILL'); // a spare: it holds nothing yet
    }
    await Promise.all(this.#closed);
  }

  /** Kills whatever still runs (after a failure). */
  abort(): void {
    this.#stopping = true;
    for (const p of this.#processes) p.child.kill('SIGKILL');
  }

  /** Forks processes until the waiting slots and the spares are covered. */
  #topUp(): void {
    const loading = [...this.#processes].filter((p) => !p.inc).length;
    for (let n = loading; n < this.#waiting.length + this.#options.spares; n++) this.#fork();
  }

  #fork(): void {
    const child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, [PAUSE_BEFORE_COMMIT_ENV]: String(this.#options.pauseMs) },
    });
    const proc: WorkerProcess = { child, loaded: false };
    this.#processes.add(proc);
    child.on('message', (m: TortureWorkerMessage) => {
      if (m.type === 'loaded') {
        proc.loaded = true;
        const slot = this.#waiting.shift();
        if (slot !== undefined && !this.#stopping) this.#assign(proc, slot);
      } else if (m.type === 'ready' && proc.inc) {
        proc.inc.ready = true;
        proc.inc.readyAt = Date.now();
        // A stop that came while it was opening: send it now that the workload runs.
        if (this.#stopping) this.#send(proc, { type: 'stop' });
      } else if (m.type === 'error') this.errors.push(`${proc.inc?.name ?? 'spare'}: ${m.message}`);
      this.#notify();
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      const inc = proc.inc;
      if (inc && line === PAUSE_MARKERS.paused) inc.inCommit = true;
      else if (inc && line === PAUSE_MARKERS.left) inc.inCommit = false;
      else process.stderr.write(`[${inc?.name ?? 'spare'}] ${line}\n`);
      this.#notify();
    });
    this.#closed.push(new Promise((resolve) => child.once('close', (code, signal) => resolve(this.#gone(proc, code, signal)))));
  }

  #assign(proc: WorkerProcess, slot: number): void {
    const n = this.#spawned.get(slot) ?? 0;
    this.#spawned.set(slot, n + 1);
    const config = this.#options.configFor(slot, n);
    const inc: Incarnation = {
      slot,
      name: config.process,
      config,
      child: proc.child,
      ready: false,
      readyAt: 0,
      inCommit: false,
      killed: false,
      closed: false,
    };
    proc.inc = inc;
    this.incarnations.push(inc);
    this.#send(proc, { type: 'go', config });
    this.#topUp();
  }

  #gone(proc: WorkerProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.#processes.delete(proc);
    const inc = proc.inc;
    if (inc) inc.closed = true;
    const expected = inc?.killed || (this.#stopping && (code === 0 || !inc));
    if (!expected) {
      this.#unexpected++;
      this.errors.push(`${inc?.name ?? 'a spare'} exited unexpectedly (${code ?? signal})`);
    }
    if (!this.#stopping && !this.failing) {
      if (!inc) this.#topUp();
      else {
        const spare = [...this.#processes].find((p) => p.loaded && !p.inc);
        if (spare) this.#assign(spare, inc.slot);
        else {
          this.#waiting.push(inc.slot);
          this.#topUp();
        }
      }
    }
    this.#notify();
  }

  #send(proc: WorkerProcess, message: TortureFleetMessage): void {
    if (proc.child.connected) proc.child.send(message);
  }

  /** Resolves on the next change of any worker's state, or after `timeoutMs`. */
  #changed(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, Math.max(0, timeoutMs));
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
