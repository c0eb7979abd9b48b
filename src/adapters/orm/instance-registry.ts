import type { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import type { Anchor } from '../../repository/anchors.ts';
import { parseFields, plainFields } from './parse-fields.ts';

interface Tracked {
  readonly anchor: Anchor;
  /** Model or relation name, for messages. */
  readonly label: string;
  readonly schema: z.ZodObject;
  /** Fields as loaded (JSON) when they already failed the schema then: such stored data is not this session's to fix. */
  readonly invalidAsLoaded: string | undefined;
}

/**
 * The anchors a model session handed out, each with the schema it must satisfy. Validates them
 * all before a commit, so a schema refusal writes nothing. Stored data that was already invalid
 * when loaded (a schema that changed since) blocks a commit only if this session changed it.
 */
export class InstanceRegistry {
  readonly #tracked = new Map<string, Tracked>();

  /** Tracks an anchor; `loaded` anchors are checked now to recognise invalid stored data later. */
  track(anchor: Anchor, label: string, schema: z.ZodObject, loaded: boolean): void {
    const known = this.#tracked.get(anchor.id);
    if (known?.anchor === anchor && known.schema === schema) return;
    const fields = plainFields(anchor.fields);
    const invalidAsLoaded = loaded && !schema.safeParse(fields).success ? JSON.stringify(fields) : undefined;
    this.#tracked.set(anchor.id, { anchor, label, schema, invalidAsLoaded });
  }

  /** The schema an anchor of this session is tracked with; anything else is a ValidationError. */
  schemaOf(anchor: unknown, path: string): { label: string; schema: z.ZodObject } {
    const id = (anchor as { id?: unknown } | null)?.id;
    const tracked = typeof id === 'string' ? this.#tracked.get(id) : undefined;
    if (tracked === undefined || tracked.anchor !== anchor)
      throw new ValidationError(path, 'not an instance of this model session');
    return tracked;
  }

  forget(id: string): void {
    this.#tracked.delete(id);
  }

  /** Forgets anchors never written (an abort drops them from the session). */
  forgetUnwritten(): void {
    for (const [id, t] of this.#tracked) if (t.anchor.version === 0) this.#tracked.delete(id);
  }

  /** Throws the first schema refusal among tracked anchors (ValidationError naming the path). */
  validateAll(): void {
    for (const t of this.#tracked.values()) {
      const fields = plainFields(t.anchor.fields);
      if (t.invalidAsLoaded !== undefined && t.invalidAsLoaded === JSON.stringify(fields)) continue;
      parseFields(t.schema, fields, `${t.label} ${t.anchor.id}`, t.anchor.id);
    }
  }
}
