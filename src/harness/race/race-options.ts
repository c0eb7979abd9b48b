import { z } from 'zod';
import { intOption } from '../int-option.ts';

export const RACE_MODES = ['anchorage', 'naive'] as const;
export type RaceMode = (typeof RACE_MODES)[number];

/** The race's options as the CLI gives them (strings), checked and defaulted. */
export const raceOptionsSchema = z
  .object({
    mode: z.enum(['anchorage', 'naive', 'both'], { error: 'mode must be anchorage, naive or both' }).default('both'),
    db: z
      .string()
      .regex(
        /^(sqlite:(?!:memory:).+|postgres(ql)?:\/\/.+)$/,
        'db must be sqlite:<file> or postgres://user@host:port/db: worker processes share one database',
      )
      .default('sqlite:./.anchorage/race.db'),
    procs: intOption('procs', 1, 64).default(4),
    users: intOption('users', 1, 10_000).default(4),
    sessions: intOption('sessions', 1, 1_000_000).default(600),
    concurrency: intOption('concurrency', 1, 256).default(6),
    seed: intOption('seed', 0, 2 ** 32 - 1).optional(),
    json: z.boolean().default(false),
  })
  .strict();

export type RaceOptionsInput = z.input<typeof raceOptionsSchema>;
export type RaceOptions = z.output<typeof raceOptionsSchema> & { seed: number };

/** What one worker process is told to do. */
export const workerConfigSchema = z
  .object({
    mode: z.enum(RACE_MODES),
    /** The mode's database url (see modeDatabase): `sqlite:<file>` or `postgres://…`. */
    db: z.string(),
    process: z.string(),
    /** User roots are `<userPrefix><n>` for n in [0, users). */
    userPrefix: z.string().min(1),
    users: z.number().int().min(1),
    /** This process's share of --sessions, run after its opening `me` per user (see sessionPlan). */
    sessions: z.number().int().min(0),
    concurrency: z.number().int().min(1),
    /** This process's seed, derived from --seed and its index: it fixes the process's plan. */
    seed: z.number().int(),
    historyPath: z.string(),
    /** Bounds of one simulated model call, in ms. */
    modelMs: z.tuple([z.number().min(0), z.number().min(0)]),
  })
  .strict();

export type WorkerConfig = z.output<typeof workerConfigSchema>;

export function userRoots(prefix: string, users: number): string[] {
  return Array.from({ length: users }, (_, n) => `${prefix}${n}`);
}

/** What a worker reports when done. */
export interface WorkerStats {
  readonly process: string;
  /** Sessions run, the opening `me`s included. */
  readonly operations: number;
  /** Of which the opening `me`s: one per user. */
  readonly opening: number;
  readonly acknowledged: number;
  readonly latenciesMs: number[];
  /** Transaction runs beyond the first. */
  readonly replays: number;
  readonly conflicts: number;
  readonly retries: number;
  /** Operations refused by a conflict anchorage reports instead of losing a write, by code. */
  readonly refused: Record<string, number>;
  /** Unexpected failures (not conflicts); the first message of each kind. */
  readonly errors: string[];
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly done: number }
  | { readonly type: 'done'; readonly stats: WorkerStats };
