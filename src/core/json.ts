/** A JSON-representable value: what a field may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One reason a value is not JSON-representable, with the path to it. */
export interface JsonIssue {
  readonly path: string;
  readonly message: string;
}

export interface JsonLimits {
  /** Deepest nesting allowed (objects and arrays). */
  readonly maxDepth: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 64 };

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The first reason `value` is not plain JSON, or undefined when it is. Refuses functions, BigInt,
 * symbols, non-finite numbers, `undefined` inside arrays, cycles, class instances (Date, Map…),
 * sparse arrays and nesting deeper than `limits.maxDepth`. An `undefined` object member means
 * "absent", as in JSON.stringify.
 */
export function findJsonIssue(value: unknown, path = '', limits: JsonLimits = DEFAULT_JSON_LIMITS): JsonIssue | undefined {
  const onPath = new Set<object>();
  const visit = (v: unknown, p: string, depth: number): JsonIssue | undefined => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return undefined;
      case 'number':
        return Number.isFinite(v) ? undefined : { path: p, message: `number must be finite, got ${v}` };
      case 'undefined':
        return { path: p, message: 'undefined is not JSON' };
      case 'bigint':
      case 'symbol':
      case 'function':
        return { path: p, message: `${typeof v} is not JSON` };
    }
    if (v === null) return undefined;
    const obj = v as object;
    if (depth >= limits.maxDepth) return { path: p, message: `nesting deeper than ${limits.maxDepth}` };
    if (onPath.has(obj)) return { path: p, message: 'cyclic reference' };
    onPath.add(obj);
    try {
      if (Array.isArray(obj)) {
        for (let i = 0; i < obj.length; i++) {
          if (!(i in obj)) return { path: join(p, i), message: 'sparse array hole is not JSON' };
          const issue = visit(obj[i], join(p, i), depth + 1);
          if (issue) return issue;
        }
        return undefined;
      }
      if (!isPlainObject(obj)) {
        return { path: p, message: `${obj.constructor?.name ?? 'object'} is not a plain JSON object` };
      }
      if (Object.getOwnPropertySymbols(obj).length > 0) return { path: p, message: 'symbol keys are not JSON' };
      for (const [k, child] of Object.entries(obj)) {
        if (child === undefined) continue;
        const issue = visit(child, join(p, k), depth + 1);
        if (issue) return issue;
      }
      return undefined;
    } finally {
      onPath.delete(obj);
    }
  };
  return visit(value, path, 0);
}

/** Structural equality of two JSON values (object key order ignored). `undefined` means absent. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

/** A deep copy of a JSON value, so a snapshot never aliases live objects. */
export function cloneJson<T extends Json | undefined>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
