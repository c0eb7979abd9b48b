import { type Json, jsonEqual } from './json.ts';
import type { Fields } from './row.ts';

/** A custom merge for one field: given the base, this session's and the stored value, the result. */
export type FieldMergeFn = (base: Json | undefined, mine: Json | undefined, theirs: Json | undefined) => Json | undefined;

/**
 * What happens when two sessions changed the same field:
 * `reject` (default) fails the later commit with `field_conflict`; `lww` lets the later commit
 * win; a function merges the three values (a counter: `theirs + mine - base`).
 */
export type FieldPolicy = 'reject' | 'lww' | FieldMergeFn;

/** Anchor type → field → policy. The field `*` applies to every field of that type. */
export type PolicyTable = Readonly<Record<string, Readonly<Record<string, FieldPolicy>>>>;

export function policyFor(table: PolicyTable, type: string, field: string): FieldPolicy {
  const byType = table[type];
  return byType?.[field] ?? byType?.['*'] ?? 'reject';
}

/** One field a session changed: its value at the session's base and the session's value (undefined = removed). */
export interface FieldChange {
  readonly key: string;
  readonly base: Json | undefined;
  readonly mine: Json | undefined;
}

export type FieldResolution = 'merged' | 'lww';

export type FieldRebase =
  | { readonly ok: true; readonly fields: Fields; readonly resolved: ReadonlyArray<{ key: string; resolution: FieldResolution }> }
  | { readonly ok: false; readonly conflicting: readonly string[] };

/**
 * Replays field changes onto the fields stored now. A field nobody else changed takes this
 * session's value; a field both changed goes through its policy. Values are compared, so two
 * writers that both turned 0 into 1 still conflict (the stored 1 differs from the base 0).
 */
export function rebaseFields(
  current: Readonly<Fields>,
  changes: readonly FieldChange[],
  policyOf: (key: string) => FieldPolicy,
): FieldRebase {
  const fields: Fields = { ...current };
  const resolved: Array<{ key: string; resolution: FieldResolution }> = [];
  const conflicting: string[] = [];
  for (const { key, base, mine } of changes) {
    const theirs = current[key];
    let value = mine;
    if (!jsonEqual(theirs, base)) {
      const policy = policyOf(key);
      if (policy === 'reject') {
        conflicting.push(key);
        continue;
      }
      if (policy === 'lww') {
        resolved.push({ key, resolution: 'lww' });
      } else {
        value = policy(base, mine, theirs);
        resolved.push({ key, resolution: 'merged' });
      }
    }
    if (value === undefined) delete fields[key];
    else fields[key] = value;
  }
  return conflicting.length > 0 ? { ok: false, conflicting } : { ok: true, fields, resolved };
}
