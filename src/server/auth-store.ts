import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const KEY_BYTES = 32;

/** A token is stored only as its SHA-256, so a copy of the file holds no usable token. */
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface AuthUser {
  readonly username: string;
  /** The user's graph root: every walker session of theirs is opened on it. */
  readonly root: string;
}

/**
 * Users and bearer tokens for the walker server, in their own SQLite file so every cluster
 * worker sees them. Passwords are hashed with scrypt and a random salt; tokens are random.
 */
export class AuthStore {
  readonly #db: Database.Database;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, salt BLOB NOT NULL, hash BLOB NOT NULL, root TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS tokens (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, created_at INTEGER NOT NULL)`);
  }

  /** Creates the user and returns a fresh token, or undefined when the name is taken. */
  async register(username: string, password: string): Promise<string | undefined> {
    const salt = randomBytes(16);
    const hash = await scryptAsync(password, salt, KEY_BYTES);
    const inserted = this.#db
      .prepare('INSERT OR IGNORE INTO users (username, salt, hash, root) VALUES (?, ?, ?, ?)')
      .run(username, salt, hash, `user-${randomUUID()}`);
    return inserted.changes === 0 ? undefined : this.#issue(username);
  }

  /** A fresh token for a correct password, else undefined. */
  async login(username: string, password: string): Promise<string | undefined> {
    const row = this.#db.prepare('SELECT salt, hash FROM users WHERE username = ?').get(username) as
      | { salt: Buffer; hash: Buffer }
      | undefined;
    // Hash even for an unknown name, so timing does not tell which names exist.
    const hash = await scryptAsync(password, row?.salt ?? randomBytes(16), KEY_BYTES);
    return row && timingSafeEqual(hash, row.hash) ? this.#issue(username) : undefined;
  }

  /** The user a token belongs to, checked on every walker call. */
  verify(token: string): AuthUser | undefined {
    return this.#db
      .prepare('SELECT u.username, u.root FROM tokens t JOIN users u ON u.username = t.username WHERE t.token_hash = ?')
      .get(tokenHash(token)) as AuthUser | undefined;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #issue(username: string): string {
    const token = randomBytes(32).toString('base64url');
    this.#db
      .prepare('INSERT INTO tokens (token_hash, username, created_at) VALUES (?, ?, ?)')
      .run(tokenHash(token), username, Date.now());
    return token;
  }
}
