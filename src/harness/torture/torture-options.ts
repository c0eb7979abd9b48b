import { z } from 'zod';
import { intOption } from '../int-option.ts';
import { workerConfigSchema } from '../race/race-options.ts';

/** The crash campaign's options as the CLI gives them (strings), checked and defaulted. */
export const tortureOptionsSchema = z
  .object({
    db: z
      .string()
      .regex(/^sqlite:(?!:memory:).+$/, 'db must be sqlite:<file>: worker processes share one database file')
      .default('sqlite:./.anchorage/torture.db'),
    procs: intOption('procs', 1, 64).default(4),
    kills: intOption('kills', 0, 100_000).default(20),
    users: intOption('users', 1, 10_000).default(4),
    concurrency: intOption('concurrency', 1, 256).default(4),
    /** The test-only pause between a commit's writes and COMMIT, where aimed kills land. */
    pauseMs: intOption('pause-ms', 1, 10_000).default(20),
    seed: intOption('seed', 0, 2 ** 32 - 1).optional(),
    json: z.boolean().default(false),
  })
  .strict();

export type TortureOptions = z.output<typeof tortureOptionsSchema> & { seed: number };

/** What one torture worker process is told: a race worker's settings, plus where its intents go. */
export const tortureWorkerConfigSchema = workerConfigSchema
  .omit({ mode: true, sessions: true })
  .extend({ intentPath: z.string() })
  .strict();

export type TortureWorkerConfig = z.output<typeof tortureWorkerConfigSchema>;

/** Bounds of one simulated model call (ms): shorter than the race's, so a chat's commits come often. */
export const TORTURE_MODEL_MS: [number, number] = [5, 80];

/** What a torture worker tells the fleet: loaded (a spare, waiting for `go`), working, failing, done. */
export type TortureWorkerMessage =
  | { readonly type: 'loaded' }
  | { readonly type: 'ready' }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'done'; readonly operations: number };

/** What the fleet tells a worker: become an incarnation (a spare gets its config only now), or stop. */
export type TortureFleetMessage = { readonly type: 'go'; readonly config: TortureWorkerConfig } | { readonly type: 'stop' };
