/** What a contender's seeded database holds; every layout seeds the same logical graph. */
export interface SeedSpec {
  /** Plain nodes `itemId(0…items-1)`, owned by the system root, with `itemFields(i)`. */
  readonly items: number;
  /** Nodes with `degree` out-edges each, to fresh leaf nodes. */
  readonly hubs: ReadonlyArray<{ readonly id: string; readonly degree: number }>;
}

export type Backend = 'sqlite' | 'postgres';

/** How a contender lays a graph out in its database; contenders sharing a layout share seeded templates. */
export interface Layout {
  readonly name: string;
  readonly backend: Backend;
  /**
   * Creates and fills a database (not timed) at `location`: a new file path (SQLite), or the url
   * of a new, empty schema (PostgreSQL: its `search_path`).
   */
  seed(location: string, spec: SeedSpec): Promise<void>;
}

/** Runs between a request's read and its write: the awaits a server holds loaded data across. */
export type Think = () => Promise<void>;

/**
 * One process's connection to a contender's database: the operations every workload is made of.
 * Each write operation resolves only once durably acknowledged; a rejected one wrote nothing
 * (or, for the lossy designs, whatever it wrote is what verification finds).
 */
export interface ContenderConnection {
  /** Adds one to numeric field `field` of every node in `ids`, in one commit; `think` runs between read and write. */
  increment(ids: readonly string[], field: string, think: Think): Promise<void>;
  /** Creates a child node and an edge parent → child in one commit; resolves to the edge's id. */
  addChild(parent: string, think: Think): Promise<string>;
  /** Reads one node in a fresh unit of work; resolves to its fields. */
  getCold(id: string): Promise<unknown>;
  /** Loads `ids` into one unit of work and returns a reader that serves them from it. */
  openSession(ids: readonly string[]): Promise<(id: string) => unknown>;
  /** Loads the out-neighbours of `id` in a fresh unit of work; resolves to how many. */
  neighbors(id: string): Promise<number>;
  /** The node's fields as stored now (verification). */
  storedFields(id: string): Promise<Record<string, unknown> | undefined>;
  /** The node's edge ids as stored now (verification). */
  storedEdgeIds(id: string): Promise<readonly string[]>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly durability: 'full' | 'normal';
  readonly busyTimeoutMs: number;
}

/** A connection class that opens synchronously (the hand-written SQLite contenders). */
export interface ConnectionClass {
  /** One line for the report. */
  readonly summary: string;
  new (location: string, options: ConnectOptions): ContenderConnection;
}

/** A contender whose connections are instances of `Connection`; `limit` marks its backend's limit. */
export function contender(name: string, layout: Layout, Connection: ConnectionClass, limit?: true): Contender {
  const connect = async (location: string, options: ConnectOptions) => new Connection(location, options);
  return { name, summary: Connection.summary, layout, connect, ...(limit ? { limit } : {}) };
}

export interface Contender {
  readonly name: string;
  /** The hand-written limit of its backend: every ratio of a case is to it. */
  readonly limit?: boolean;
  /** One line for the report: what this contender does and what it promises. */
  readonly summary: string;
  readonly layout: Layout;
  /** Connects one process to the database at `location` (a file path, or a PostgreSQL url). */
  connect(location: string, options: ConnectOptions): Promise<ContenderConnection>;
}
