import { createHash } from 'node:crypto';
import type { ClientBase, QueryResult } from 'pg';

/**
 * A statement prepared with SQL `PREPARE` once per server session and run as `EXECUTE
 * name(literals)`: unlike a protocol-level named statement it can share a simple query with
 * BEGIN or COMMIT (one round trip), and unlike literal SQL it is not planned again every time.
 */
export interface ServerStatement {
  /** `anchorage_x_<name>_<hash of its SQL>`: another text never answers to this name. */
  readonly name: string;
  /** Parameter types, `$1` first. */
  readonly params: readonly string[];
  readonly sql: string;
}

/**
 * Names carry a hash of the statement, so two anchorage versions sharing a pool never run each
 * other's SQL, and an `x` apart from node-postgres's named statements (one namespace with them).
 */
export function serverStatement(name: string, params: readonly string[], sql: string): ServerStatement {
  const hash = createHash('sha256')
    .update(`${params.join(',')}\n${sql}`)
    .digest('hex')
    .slice(0, 10);
  return { name: `anchorage_x_${name}_${hash}`, params, sql };
}

/** Statement names prepared per server session (pg client). PREPARE survives rollbacks. */
const preparedOn = new WeakMap<ClientBase, Set<string>>();
const DUPLICATE_PREPARED_STATEMENT = '42P05';

/**
 * Prepares the statements not prepared on `client`'s session yet (once each). One PREPARE per
 * round trip, so a failure leaves no doubt about which are prepared; one prepared already (by
 * another instance of this module on a shared pool: same name, same SQL) counts as prepared.
 */
export async function prepareOn(client: ClientBase, ...statements: readonly ServerStatement[]): Promise<void> {
  let done = preparedOn.get(client);
  if (!done) preparedOn.set(client, (done = new Set()));
  for (const s of statements) {
    if (done.has(s.name)) continue;
    try {
      await client.query(`PREPARE ${s.name} (${s.params.join(', ')}) AS ${s.sql}`);
    } catch (error) {
      if ((error as { code?: unknown }).code !== DUPLICATE_PREPARED_STATEMENT) throw error;
    }
    done.add(s.name);
  }
}

/**
 * A string as an SQL literal. Quotes doubled; with a backslash, the E'' form with backslashes
 * doubled too, which reads the same whatever `standard_conforming_strings` says (as pg's
 * escapeLiteral, without its character-by-character loop). NUL cannot travel in SQL text.
 */
export function sqlString(text: string): string {
  if (text.includes('\0')) throw new TypeError('an SQL literal cannot hold a NUL character');
  const quoted = `'${text.replaceAll("'", "''")}'`;
  return text.includes('\\') ? `E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}

// Array elements need no cast of their own: the array's cast types them.
function element(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new TypeError(`not an SQL argument here (strings, safe integers, null): ${String(value)}`);
}

const literal = (value: unknown, type: string): string =>
  Array.isArray(value) ? `ARRAY[${value.map(element).join(',')}]::${type}` : `${element(value)}::${type}`;

/**
 * Sends several statements as one simple query (one round trip, run in order, the first failure
 * stopping the rest); returns their results, one per statement.
 */
export async function sendTogether(client: ClientBase, statements: readonly string[]): Promise<QueryResult[]> {
  const sent: QueryResult | QueryResult[] = await client.query(statements.join('; '));
  return Array.isArray(sent) ? sent : [sent];
}

/** `EXECUTE` of a statement prepared by `prepareOn`, its arguments as typed literals. */
export function executeSql(stmt: ServerStatement, args: readonly unknown[]): string {
  return `EXECUTE ${stmt.name}(${args.map((a, i) => literal(a, stmt.params[i] as string)).join(', ')})`;
}
