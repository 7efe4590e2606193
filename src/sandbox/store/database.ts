/**
 * The sandbox's SQLite database: opened once per server, migrated forward by `PRAGMA user_version`.
 * better-sqlite3 is synchronous, so a transaction is one uninterrupted turn of the event loop: that is
 * what makes check-and-insert atomic for concurrent clients (backed by the unique constraints below).
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { documentKey } from '../../irp/irn.js';

export type SqliteDatabase = Database.Database;

/**
 * Each entry moves the schema one version forward; never edit a released entry, append a new one. An
 * entry is SQL, or a function for a step that needs code (a back-fill).
 */
const MIGRATIONS: readonly (string | ((db: SqliteDatabase) => void))[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE sequences (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  CREATE TABLE key_material (
    purpose          TEXT PRIMARY KEY CHECK (purpose IN ('encryption', 'signing')),
    private_key_pem  TEXT NOT NULL,
    public_key_pem   TEXT NOT NULL,
    certificate_pem  TEXT,
    created_at       INTEGER NOT NULL
  );
  CREATE TABLE api_clients (
    client_id    TEXT PRIMARY KEY,
    secret_hash  TEXT NOT NULL,
    created_at   INTEGER NOT NULL
  );
  CREATE TABLE api_users (
    user_name      TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES api_clients (client_id),
    password_hash  TEXT NOT NULL,
    gstin          TEXT NOT NULL,
    created_at     INTEGER NOT NULL
  );
  CREATE TABLE taxpayers (
    gstin           TEXT PRIMARY KEY,
    legal_name      TEXT NOT NULL,
    trade_name      TEXT,
    addr_bnm        TEXT,
    addr_bno        TEXT,
    addr_flno       TEXT,
    addr_st         TEXT,
    addr_loc        TEXT,
    state_code      TEXT NOT NULL,
    pincode         INTEGER,
    txp_type        TEXT NOT NULL DEFAULT 'REG',
    status          TEXT NOT NULL DEFAULT 'ACT',
    portal_status   TEXT,
    blk_status      TEXT,
    dt_reg          TEXT,
    dt_dreg         TEXT,
    large_taxpayer  INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE auth_tokens (
    token       TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    gstin       TEXT NOT NULL,
    sek         BLOB NOT NULL,
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  );
  CREATE INDEX auth_tokens_by_session ON auth_tokens (client_id, user_name, gstin, expires_at);
  CREATE TABLE irns (
    irn             TEXT PRIMARY KEY,
    gstin           TEXT NOT NULL,
    ecm_gstin       TEXT,
    doc_type        TEXT NOT NULL,
    doc_no          TEXT NOT NULL,
    doc_date        TEXT NOT NULL,
    ack_no          INTEGER NOT NULL UNIQUE,
    ack_at          INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('PENDING', 'ACT', 'CNL')),
    invoice_json    TEXT NOT NULL,
    signed_invoice  TEXT,
    signed_qr_code  TEXT,
    cancelled_at    INTEGER,
    cancel_reason   TEXT,
    cancel_remark   TEXT
  );
  CREATE TABLE ewbs (
    ewb_no         INTEGER PRIMARY KEY,
    irn            TEXT NOT NULL REFERENCES irns (irn),
    gstin          TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('ACT', 'CNL')),
    generated_at   INTEGER NOT NULL,
    valid_till     INTEGER,
    distance       INTEGER NOT NULL,
    transport_json TEXT NOT NULL,
    cancelled_at   INTEGER,
    cancel_reason  TEXT,
    cancel_remark  TEXT
  );
  -- One live e-way bill per IRN: a second one is 4002, and an IRN with one cannot be cancelled (2230).
  CREATE UNIQUE INDEX ewbs_one_active_per_irn ON ewbs (irn) WHERE state = 'ACT';
  CREATE INDEX ewbs_by_irn ON ewbs (irn, generated_at);
  `,
  // v2: duplicates are found by the document's identity (seller, FY, type, upper-cased number), not by
  // the IRN hash, which changed on 1 June 2025 for mixed-case numbers.
  (db) => {
    db.exec('ALTER TABLE irns ADD COLUMN doc_key TEXT');
    const rows = db.prepare('SELECT irn, gstin, doc_type, doc_no, doc_date FROM irns').all() as {
      irn: string;
      gstin: string;
      doc_type: string;
      doc_no: string;
      doc_date: string;
    }[];
    const update = db.prepare('UPDATE irns SET doc_key = ? WHERE irn = ?');
    for (const r of rows)
      update.run(
        documentKey({ gstin: r.gstin, docType: r.doc_type, docNo: r.doc_no, docDate: r.doc_date }) ?? r.irn,
        r.irn,
      );
    db.exec('CREATE INDEX irns_by_document ON irns (doc_key, ack_at)');
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** How long a connection waits for another's write lock before SQLITE_BUSY (several processes may share a file). */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Creates the database file readable by its owner only (0600, in a 0700 directory when the directory is
 * new): it holds private keys, sessions and the demo credentials. SQLite gives its -wal and -shm files
 * the database file's permissions. An existing file keeps the mode it has.
 */
function createPrivateFile(location: string): void {
  mkdirSync(dirname(location), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(location, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export function openDatabase(location: string): SqliteDatabase {
  if (location !== ':memory:') createPrivateFile(location);
  const db = new Database(location);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  if (location !== ':memory:') {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  migrate(db);
  return db;
}

const userVersion = (db: SqliteDatabase) => db.pragma('user_version', { simple: true }) as number;

/**
 * Each step runs in an IMMEDIATE transaction that re-reads the version inside it, so two processes
 * opening a new file at once migrate it once: the second waits for the first's lock, then finds the
 * step done.
 */
function migrate(db: SqliteDatabase): void {
  const current = userVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(`sandbox database schema v${current} is newer than this build (v${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      if (userVersion(db) > version) return;
      const step = MIGRATIONS[version]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
