/** Every error code anchorage throws. Recognise errors by `code`, never by `instanceof`. */
export type ErrorCode =
  | 'field_conflict'
  | 'deleted_concurrently'
  | 'read_conflict'
  | 'retries_exhausted'
  | 'validation'
  | 'not_found'
  | 'access_denied'
  | 'storage';

export type ConflictCode = Extract<ErrorCode, 'field_conflict' | 'deleted_concurrently' | 'read_conflict' | 'retries_exhausted'>;

export interface ErrorOptions {
  readonly cause?: unknown;
  /** Structured detail for logs and callers: anchor ids, fields, writers. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Base of every anchorage error. `retryable` says whether a retry may succeed. */
export class AnchorageError extends Error {
  readonly code: ErrorCode;
  readonly context: Readonly<Record<string, unknown>>;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: ErrorOptions & { retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
    this.retryable = options.retryable ?? false;
  }
}

/**
 * A commit lost a race it cannot resolve by merging. Nothing of the failed commit was written;
 * the session keeps its staged changes. `repository.transaction` replays on these.
 */
export class ConflictError extends AnchorageError {
  declare readonly code: ConflictCode;
  /** The anchor the conflict is about, when there is one. */
  readonly anchorId: string | undefined;
  /** The fields both sides changed (`field_conflict`). */
  readonly fields: readonly string[];
  /** Writer ids whose writes raced this commit, read from the version vectors. */
  readonly writers: readonly string[];

  constructor(
    code: ConflictCode,
    message: string,
    detail: { anchorId?: string; fields?: readonly string[]; writers?: readonly string[] } & ErrorOptions = {},
  ) {
    super(code, message, {
      cause: detail.cause,
      context: { ...detail.context, anchorId: detail.anchorId, fields: detail.fields, writers: detail.writers },
    });
    this.anchorId = detail.anchorId;
    this.fields = detail.fields ?? [];
    this.writers = detail.writers ?? [];
  }
}

/** Refused input. `path` names the offending value, e.g. `fields.tags[2]`. Nothing was written. */
export class ValidationError extends AnchorageError {
  declare readonly code: 'validation';
  readonly path: string;
  constructor(path: string, message: string, options: ErrorOptions = {}) {
    super('validation', path ? `${path}: ${message}` : message, {
      ...options,
      context: { ...options.context, path },
    });
    this.path = path;
  }
}

export class NotFoundError extends AnchorageError {
  declare readonly code: 'not_found';
  constructor(message: string, options: ErrorOptions = {}) {
    super('not_found', message, options);
  }
}

export class AccessDeniedError extends AnchorageError {
  declare readonly code: 'access_denied';
  constructor(message: string, options: ErrorOptions = {}) {
    super('access_denied', message, options);
  }
}

/** The database failed. `retryable` is true for transient failures such as a busy database. */
export class StorageError extends AnchorageError {
  declare readonly code: 'storage';
  constructor(message: string, options: ErrorOptions & { retryable?: boolean } = {}) {
    super('storage', message, options);
  }
}

/** True for an anchorage error with one of the given codes (works across package copies). */
export function hasCode(error: unknown, ...codes: ErrorCode[]): error is AnchorageError {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (codes as string[]).includes(code) && error instanceof Error;
}
