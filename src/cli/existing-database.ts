import { existsSync } from 'node:fs';
import { z } from 'zod';

/**
 * `--db` of the tools that read a database after the fact (`metrics`, `check`): a url, or a
 * bare path taken as a SQLite file. The file must exist: opening creates a missing one, and an
 * export of a mistyped path would otherwise make an empty database and report all zeros.
 */
export const existingDatabaseSchema = z
  .string()
  .min(1)
  .transform((db) => (/^(sqlite:|memory:$|postgres(ql)?:\/\/)/.test(db) ? db : `sqlite:${db}`))
  .refine((url) => !url.startsWith('sqlite:') || url === 'sqlite::memory:' || existsSync(url.slice('sqlite:'.length)), {
    message: 'no database file at this path',
  });
