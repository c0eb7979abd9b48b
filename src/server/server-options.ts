import { z } from 'zod';
import { intOption } from '../harness/int-option.ts';

/** `anchorage serve` options, as the CLI gives them (strings), checked and defaulted. */
export const serverOptionsSchema = z
  .object({
    port: intOption('port', 1, 65_535).default(8000),
    host: z.string().min(1).default('127.0.0.1'),
    db: z
      .string()
      .regex(/^sqlite:(?!:memory:).+$/, 'db must be sqlite:<file>: cluster workers share one database file')
      .default('sqlite:./.anchorage/serve.db'),
    workers: intOption('workers', 1, 64).default(1),
    naive: z.boolean().default(false),
    /** How long one simulated model call of `ai_chat` takes, [min, max] ms; a chat makes four. */
    chatMs: z.tuple([z.number().min(0), z.number().min(0)]).default([400, 900]),
  })
  .strict();

export type ServerOptions = z.output<typeof serverOptionsSchema>;

/** The files a server uses: the graph (anchorage's, or the naive table beside it) and the users. */
export function serverFiles(options: Pick<ServerOptions, 'db' | 'naive'>): { graph: string; auth: string } {
  const path = options.db.slice('sqlite:'.length);
  const base = path.replace(/\.db$/, '');
  return { graph: options.naive ? `${base}.naive.db` : path, auth: `${base}${options.naive ? '.naive' : ''}.auth.db` };
}

/** What a cluster worker tells the primary when it cannot start (before exiting). */
export interface WorkerFailure {
  readonly type: 'start_failed';
  readonly message: string;
}
