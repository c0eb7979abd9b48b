import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PAUSE_BEFORE_COMMIT_ENV, PAUSE_MARKERS } from '../../storage/sqlite/test-pause.ts';
import type { TortureWorkerConfig, TortureWorkerMessage } from './torture-options.ts';

const WORKER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './torture-worker.ts' : './torture-worker.js', import.meta.url),
);

/** One process run of one worker slot: the first, or a restart after a kill. */
export interface Incarnation {
  readonly name: string;
  readonly config: TortureWorkerConfig;
  readonly child: ChildProcess;
  /** Working (it opened the database and started the workload). */
  ready: boolean;
  /** Between a `paused` marker and the next `left`: inside a commit, its writes done, COMMIT not yet. */
  inCommit: boolean;
  killed: boolean;
  /** Set when the process is gone and its stderr is read to the end. */
  closed: boolean;
}

export interface FleetOptions {
  readonly procs: number;
  /** The pause between a commit's writes and COMMIT, in every worker (test-only backend hook). */
  readonly pauseMs: number;
  /** The config of incarnation `n` (0, 1, …) of slot `slot`. */
  configFor(slot: number, n: number): TortureWorkerConfig;
}

/**
 * Worker processes on one database: started together, each restarted as soon as it dies, until
 * `stop()`. Reads each worker's stderr for the backend's pause markers, so it knows which kills
 * landed inside a commit. Errors workers report, and unexpected exits, are collected in `errors`.
 */
export class WorkerFleet {
  readonly incarnations: Incarnation[] = [];
  readonly errors: string[] = [];
  kills = 0;
  readonly #options: FleetOptions;
  readonly #live = new Map<number, Incarnation>();
  readonly #closed = new Map<Incarnation, Promise<void>>();
  /** Incarnations started per slot. */
  readonly #spawned = new Map<number, number>();
  #waiters: Array<() => void> = [];
  #stopping = false;
  #unexpected = 0;

  constructor(options: FleetOptions) {
    this.#options = options;
  }

  start(): void {
    for (let slot = 0; slot < this.#options.procs; slot++) this.#spawn(slot);
  }

  /** Kills (SIGKILL) that landed inside a commit, as each dead worker's markers tell. */
  get killsInCommit(): number {
    return this.incarnations.filter((i) => i.killed && i.closed && i.inCommit).length;
  }

  /** A working worker, chosen by `pick(count)`; waits until one is. */
  async readyVictim(pick: (count: number) => number): Promise<Incarnation> {
    for (;;) {
      this.#throwIfFailing();
      const ready = [...this.#live.values()].filter((i) => i.ready && !i.killed);
      if (ready.length > 0) return ready[pick(ready.length)] as Incarnation;
      await this.#changed();
    }
  }

  /** Resolves when `victim` pauses inside a commit, or after `timeoutMs`, or when it is gone. */
  async nextPause(victim: Incarnation, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      while (!victim.inCommit && !victim.closed && Date.now() < deadline) await Promise.race([this.#changed(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILLs a worker (it is restarted once gone); false when it had already died. */
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
    for (const i of this.#live.values()) if (i.ready) i.child.send('stop');
    await Promise.all(this.#closed.values());
  }

  /** Kills whatever still runs (after a failure). */
  abort(): void {
    this.#stopping = true;
    for (const i of this.#live.values()) if (!i.closed) i.child.kill('SIGKILL');
  }

  #spawn(slot: number): void {
    const n = this.#spawned.get(slot) ?? 0;
    this.#spawned.set(slot, n + 1);
    const config = this.#options.configFor(slot, n);
    const child = fork(WORKER, [JSON.stringify(config)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, [PAUSE_BEFORE_COMMIT_ENV]: String(this.#options.pauseMs) },
    });
    const inc: Incarnation = { name: config.process, config, child, ready: false, inCommit: false, killed: false, closed: false };
    this.incarnations.push(inc);
    this.#live.set(slot, inc);
    child.on('message', (m: TortureWorkerMessage) => {
      if (m.type === 'ready') {
        inc.ready = true;
        // A stop that came while it was starting: it listens only from now on.
        if (this.#stopping) child.send('stop');
      } else if (m.type === 'error') this.errors.push(`${inc.name}: ${m.message}`);
      this.#notify();
    });
    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) => {
        if (line === PAUSE_MARKERS.paused) inc.inCommit = true;
        else if (line === PAUSE_MARKERS.left) inc.inCommit = false;
        else process.stderr.write(`[${inc.name}] ${line}\n`);
        this.#notify();
      });
    }
    this.#closed.set(
      inc,
      new Promise((resolve) =>
        child.once('close', (code, signal) => {
          inc.closed = true;
          if (this.#live.get(slot) === inc) this.#live.delete(slot);
          if (!inc.killed && code !== 0) {
            this.#unexpected++;
            this.errors.push(`${inc.name} exited unexpectedly (${code ?? signal})`);
          }
          if (!this.#stopping && this.#unexpected <= this.#options.procs * 2) this.#spawn(slot);
          this.#notify();
          resolve();
        }),
      ),
    );
  }

  #throwIfFailing(): void {
    if (this.#unexpected > this.#options.procs * 2) {
      throw new Error(`workers keep dying on their own: ${this.errors.slice(0, 3).join('; ')}`);
    }
  }

  #changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
