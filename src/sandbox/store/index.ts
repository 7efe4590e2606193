/**
 * The sandbox's persistent state behind one object: the database and one repository per table group.
 */
import { AccountsRepository } from './accounts-repo.js';
import { openDatabase, type SqliteDatabase } from './database.js';
import { EwbsRepository } from './ewbs-repo.js';
import { IrnsRepository } from './irns-repo.js';
import { KeysRepository } from './keys-repo.js';
import { MetaRepository } from './meta-repo.js';
import { TaxpayersRepository } from './taxpayers-repo.js';
import { TokensRepository } from './tokens-repo.js';

export class SandboxStore {
  readonly meta: MetaRepository;
  readonly keys: KeysRepository;
  readonly accounts: AccountsRepository;
  readonly taxpayers: TaxpayersRepository;
  readonly tokens: TokensRepository;
  readonly irns: IrnsRepository;
  readonly ewbs: EwbsRepository;

  private constructor(private readonly db: SqliteDatabase) {
    this.meta = new MetaRepository(db);
    this.keys = new KeysRepository(db);
    this.accounts = new AccountsRepository(db);
    this.taxpayers = new TaxpayersRepository(db);
    this.tokens = new TokensRepository(db);
    this.irns = new IrnsRepository(db);
    this.ewbs = new EwbsRepository(db);
  }

  /** Opens (and creates or migrates) the database at `location`, a file path or `:memory:`. */
  static open(location: string): SandboxStore {
    return new SandboxStore(openDatabase(location));
  }

  /** The connection itself, for modules that keep their own tables in this file (the portal). */
  get database(): SqliteDatabase {
    return this.db;
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction: the write lock is taken at BEGIN, so two processes on one
   * file queue on the busy timeout instead of one failing with "database is locked" when a deferred
   * read transaction tries to become a write (SQLite answers that deadlock with SQLITE_BUSY at once).
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export type { ApiClient, ApiUser } from './accounts-repo.js';
export type { AuthToken, TokenFilter } from './tokens-repo.js';
export type { EwbRecord } from './ewbs-repo.js';
export type { IrnRecord } from './irns-repo.js';
export type { RegistrationStatus, Taxpayer } from './taxpayers-repo.js';
