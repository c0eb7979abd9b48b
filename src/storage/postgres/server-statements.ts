import type { Client } from './statements.ts';

/**
 * A statement prepared with SQL `PREPARE` once per server session and run as `EXECUTE
 * name(literals)`: unlike a protocol-level named statement it can share a simple query with
 * BEGIN or COMMIT (one round trip), and unlike literal SQL it is not planned again every time.
 * Names must differ from node-postgres's named statements: both live in one namespace.
 */
export interface ServerStatement {
  readonly name: string;
  /** Parameter types, `$1` first. */
  readonly params: readonly string[];
  readonly sql: string;
}

/** Statement names prepared per server session (pg client). PREPARE survives rollbacks. */
const preparedOn = new WeakMap<object, Set<string>>();

/** Prepares the statements not prepared on `client`'s session yet (one round trip, once). */
export async function prepareOn(client: Client, ...statements: readonly ServerStatement[]): Promise<void> {
  const done = preparedOn.get(client) ?? new Set<string>();
  preparedOn.set(client, done);
  const missing = statements.filter((s) => !done.has(s.name));
  if (missing.length === 0) return;
  await client.query(missing.map((s) => `PREPARE ${s.name} (${s.params.join(', ')}) AS ${s.sql}`).join('; '));
  for (const s of missing) done.add(s.name);
}

/**
 * A string as an SQL literal. Quotes doubled; with a backslash, the E'' form with backslashes
 * doubled too, which reads the same whatever `standard_conforming_strings` says (as pg's
 * escapeLiteral, without its character-by-character loop).
 */
export function sqlString(text: string): string {
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes('\\') ? ` E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}

// Array elements need no cast of their own: the array's cast types them.
const element = (value: unknown): string =>
  value === null || value === undefined
    ? 'NULL'
    : typeof value === 'number'
      ? String(Math.trunc(value))
      : sqlString(String(value));

const literal = (value: unknown, type: string): string =>
  Array.isArray(value) ? `ARRAY[${value.map(element).join(',')}]::${type}` : `${element(value)}::${type}`;

/** `EXECUTE` of a statement prepared by `prepareOn`, its arguments as typed literals. */
export function executeSql(stmt: ServerStatement, args: readonly unknown[]): string {
  return `EXECUTE ${stmt.name}(${args.map((a, i) => literal(a, stmt.params[i] as string)).join(', ')})`;
}
