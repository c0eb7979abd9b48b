import { ValidationError } from '../../core/errors.ts';
import type { Repository, SessionOptions, TransactionOptions } from '../../repository/repository.ts';
import { parseInput, transactionFnSchema } from '../../repository/validation.ts';
import { ModelSession } from './model-session.ts';

/** Typed models over a repository: model sessions, and transactions replayed on conflict. */
export class Orm {
  readonly #repo: Repository;

  constructor(repo: Repository) {
    if (typeof (repo as { session?: unknown })?.session !== 'function') {
      throw new ValidationError('repo', 'must be a Repository (from openRepository)');
    }
    this.#repo = repo;
  }

  /** A new model session (one unit of work); options as `repository.session` (`root`, `mode`). */
  session(options: SessionOptions = {}): ModelSession {
    return new ModelSession(this.#repo.session(options));
  }

  /**
   * Runs `fn` on a fresh model session, validates every instance it touched, and commits; on a
   * conflict a merge cannot resolve (`field_conflict`, `deleted_concurrently`, `read_conflict`)
   * runs `fn` again on a fresh session, as `repository.transaction`. A `ValidationError` is not
   * replayed: it aborts with nothing written. Use `mode: 'serializable'` for find-or-create.
   */
  async transaction<T>(fn: (tx: ModelSession) => Promise<T> | T, options: TransactionOptions = {}): Promise<T> {
    const run = parseInput(transactionFnSchema, fn, 'fn') as typeof fn;
    return this.#repo.transaction(async (tx) => {
      const models = new ModelSession(tx);
      const result = await run(models);
      models.validate();
      return result;
    }, options);
  }
}
