import { cloneJson, type Json, jsonEqual } from '../core/json.ts';
import type { FieldChange } from '../core/merge-policy.ts';
import type { Fields } from '../core/row.ts';

/**
 * Watches one anchor's `fields` through a Proxy so a commit diffs only what was touched:
 * a key assigned or deleted, or an object/array value read (it may be mutated in place).
 * The value a key had at the base is captured on first touch; nothing else is copied, so
 * loading many anchors and changing one commits at the cost of the one.
 */
export class FieldTracker implements ProxyHandler<Fields> {
  readonly target: Fields;
  readonly proxy: Fields;
  #baseOf: Map<string, Json | undefined> | undefined;

  constructor(fields: Fields) {
    this.target = fields;
    this.proxy = new Proxy(fields, this);
  }

  #capture(key: string): void {
    this.#baseOf ??= new Map();
    if (!this.#baseOf.has(key)) this.#baseOf.set(key, cloneJson(this.#own(key)));
  }

  get(target: Fields, key: string | symbol): unknown {
    const value = Reflect.get(target, key);
    if (typeof key === 'string' && typeof value === 'object' && value !== null && Object.hasOwn(target, key)) {
      this.#capture(key);
    }
    return value;
  }

  set(target: Fields, key: string | symbol, value: unknown): boolean {
    if (typeof key === 'string') this.#capture(key);
    // Own data property even for `__proto__`, as JSON.parse would make it.
    return Reflect.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  }

  deleteProperty(target: Fields, key: string | symbol): boolean {
    if (typeof key === 'string') this.#capture(key);
    return Reflect.deleteProperty(target, key);
  }

  defineProperty(target: Fields, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    if (typeof key === 'string') this.#capture(key);
    return Reflect.defineProperty(target, key, descriptor);
  }

  /** The key's own value (never one inherited from Object.prototype, such as `toString`). */
  #own(key: string): Json | undefined {
    return Object.hasOwn(this.target, key) ? (this.target[key] as Json) : undefined;
  }

  /** Keys touched since the base (the only ones that may have changed), with their current values. */
  *touched(): Iterable<[string, Json | undefined]> {
    for (const key of this.#baseOf?.keys() ?? []) yield [key, this.#own(key)];
  }

  /** Fields whose value differs from the base, with both values (copies, safe to keep). Validate `touched()` values first. */
  changes(): FieldChange[] {
    if (!this.#baseOf) return [];
    const out: FieldChange[] = [];
    for (const [key, base] of this.#baseOf) {
      const mine = this.#own(key);
      if (!jsonEqual(mine, base)) out.push({ key, base, mine: cloneJson(mine) });
    }
    return out;
  }

  /** After a write: `fields` is the new base. Values that changed keep their identity when equal. */
  rebaseline(fields: Readonly<Fields>): void {
    this.#baseOf = undefined;
    for (const key of Object.keys(this.target)) {
      if (!Object.hasOwn(fields, key)) delete this.target[key];
    }
    for (const [key, value] of Object.entries(fields)) {
      if (!jsonEqual(this.target[key] as Json | undefined, value)) this.target[key] = cloneJson(value);
    }
  }

  /** Drops staged changes: every touched key gets its base value back. */
  revert(): void {
    if (!this.#baseOf) return;
    for (const [key, base] of this.#baseOf) {
      if (base === undefined) delete this.target[key];
      else this.target[key] = base;
    }
    this.#baseOf = undefined;
  }
}
