import type { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { findJsonIssue } from '../../core/json.ts';
import type { Fields } from '../../core/row.ts';

function pathOf(segments: readonly PropertyKey[]): string {
  let path = 'fields';
  for (const s of segments) path += typeof s === 'number' ? `[${s}]` : `.${String(s)}`;
  return path;
}

/**
 * Parses fields with a model's schema; a refusal is a ValidationError naming the path
 * (`fields.tags[2]`), with `what` (e.g. `Profile 1b…`) in its message and context.
 */
export function parseFields<S extends z.ZodType>(schema: S, value: unknown, what: string, anchorId?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ValidationError(pathOf(issue?.path ?? []), `${what}: ${issue?.message ?? 'invalid'}`, {
    cause: result.error,
    context: { anchorId, what },
  });
}

/** Refuses a value the storage could not hold as written (a Date, a BigInt…), naming its path. */
export function assertJson(value: unknown, path: string, anchorId?: string): void {
  const issue = findJsonIssue(value, path);
  if (issue) throw new ValidationError(issue.path, issue.message, { context: { anchorId } });
}

/**
 * The anchor's fields as a shallow plain object, read through property descriptors so the
 * session's change tracker does not count a validation read as a touch (which would copy values).
 */
export function plainFields(fields: object): Fields {
  const out: Fields = {};
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(fields))) {
    // defineProperty: a field named `__proto__` stays a field, as JSON.parse makes it.
    if (d.enumerable && d.value !== undefined) Object.defineProperty(out, key, { ...d, writable: true, configurable: true });
  }
  return out;
}
