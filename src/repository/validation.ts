import { z } from 'zod';
import { ValidationError } from '../core/errors.ts';
import { findJsonIssue } from '../core/json.ts';
import type { Fields } from '../core/row.ts';

/** Anchor ids and root ids: any printable string up to 128 characters. */
export const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[^\p{Cc}\p{Cs}]+$/u, 'must not contain control characters or lone surrogates');

/** Type names: identifiers, as a model or table name would be. */
export const typeNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/, 'must be an identifier of at most 128 characters (letters, digits, _ . : -)');

/** A fields object: a plain object whose values are JSON (see `findJsonIssue`). */
export const fieldsSchema = z.custom<Fields>().superRefine((value, ctx) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'fields must be a plain object' });
    return;
  }
  const issue = findJsonIssue(value);
  if (issue) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path ? [issue.path] : [] });
});

/** A callback such as a transaction's body: `(tx) => result`. */
export const transactionFnSchema = z.custom<(tx: never) => unknown>(
  (v) => typeof v === 'function',
  'must be a function (tx) => result',
);

function pathOf(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  const rest = path.map(String).join('.');
  return prefix && rest ? `${prefix}.${rest}` : prefix || rest;
}

/** Parses public input with a zod schema; a refusal is a ValidationError naming the path. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ValidationError(pathOf(path, issue?.path ?? []), issue?.message ?? 'invalid', { cause: result.error });
}

/** Refuses an anchor whose serialized fields exceed `maxBytes`. */
export function checkSize(fields: Fields, maxBytes: number, path: string, anchorId?: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(fields));
  if (bytes > maxBytes) {
    throw new ValidationError(path, `serialized size ${bytes} bytes exceeds the limit of ${maxBytes} bytes`, {
      context: { bytes, maxBytes, anchorId },
    });
  }
}
