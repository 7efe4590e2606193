/**
 * The portal's own tables in the sandbox database: registrations and password resets in progress
 * ("flows"), their one-time passwords, the sandbox outbox, portal accounts and sessions. They are
 * migrated by their own version (meta key `portal_schema_version`), so the portal never renumbers the
 * core schema's migrations. Secrets are never stored in clear: OTPs as HMACs, session ids as SHA-256
 * digests; passwords and client secrets live in the core account tables as scrypt hashes.
 *
 * Two statements here write to core tables on purpose, for the console's one-click error scenarios
 * ({@link PortalStore.expireToken}, {@link PortalStore.backdateIrn}); they touch only the caller's own
 * token and an IRN the scenario itself just generated.
 */
import type { SqliteDatabase } from '../store/database.js';
import type { MetaRepository } from '../store/meta-repo.js';

const VERSION_KEY = 'portal_schema_version';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE portal_accounts (
    client_id   TEXT PRIMARY KEY,
    pan         TEXT NOT NULL,
    mobile      TEXT NOT NULL,
    email       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  );
  -- One portal registration per GSTIN (and user name): the row is reserved before the API user is
  -- created, so two registrations of one GSTIN finishing at once cannot both succeed.
  CREATE TABLE portal_gstins (
    gstin       TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL,
    user_name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at  INTEGER NOT NULL
  );
  CREATE TABLE portal_flows (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('register', 'reset')),
    owner       TEXT NOT NULL,
    gstin       TEXT NOT NULL,
    mobile      TEXT NOT NULL,
    email       TEXT NOT NULL,
    client_id   TEXT,
    user_name   TEXT,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('open', 'done'))
  );
  CREATE TABLE portal_otps (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_id        TEXT NOT NULL REFERENCES portal_flows (id),
    channel        TEXT NOT NULL CHECK (channel IN ('mobile', 'email')),
    address        TEXT NOT NULL,
    gstin          TEXT NOT NULL,
    ip             TEXT NOT NULL,
    code_hash      TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    verified_at    INTEGER,
    superseded_at  INTEGER
  );
  CREATE INDEX portal_otps_by_flow ON portal_otps (flow_id, channel);
  CREATE INDEX portal_otps_by_gstin ON portal_otps (gstin, created_at);
  CREATE INDEX portal_otps_by_address ON portal_otps (address, created_at);
  CREATE INDEX portal_otps_by_ip ON portal_otps (ip, created_at);
  CREATE TABLE portal_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    owner       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    address     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  );
  CREATE INDEX portal_outbox_by_owner ON portal_outbox (owner, id);
  CREATE TABLE portal_sessions (
    id_hash       TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL,
    user_name     TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
  );
  `,
];

export type OtpChannel = 'mobile' | 'email';
export type FlowKind = 'register' | 'reset';

export interface Flow {
  id: string;
  kind: FlowKind;
  owner: string;
  gstin: string;
  mobile: string;
  email: string;
  clientId: string | null;
  userName: string | null;
  createdAt: number;
  expiresAt: number;
  state: 'open' | 'done';
}

export interface Otp {
  id: number;
  flowId: string;
  channel: OtpChannel;
  address: string;
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  attempts: number;
  verifiedAt: number | null;
}

export interface PortalAccount {
  clientId: string;
  pan: string;
  mobile: string;
  email: string;
  createdAt: number;
}

export interface PortalUser {
  userName: string;
  gstin: string;
  clientId: string;
  passwordHash: string;
}

export interface OutboxMessage {
  id: number;
  channel: string;
  address: string;
  subject: string;
  body: string;
  createdAt: number;
}

export interface PortalSession {
  idHash: string;
  clientId: string;
  userName: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

interface FlowRow {
  id: string;
  kind: FlowKind;
  owner: string;
  gstin: string;
  mobile: string;
  email: string;
  client_id: string | null;
  user_name: string | null;
  created_at: number;
  expires_at: number;
  state: 'open' | 'done';
}

const flowFromRow = (r: FlowRow): Flow => ({
  id: r.id,
  kind: r.kind,
  owner: r.owner,
  gstin: r.gstin,
  mobile: r.mobile,
  email: r.email,
  clientId: r.client_id,
  userName: r.user_name,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  state: r.state,
});

interface OtpRow {
  id: number;
  flow_id: string;
  channel: OtpChannel;
  address: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  attempts: number;
  verified_at: number | null;
}

const otpFromRow = (r: OtpRow): Otp => ({
  id: r.id,
  flowId: r.flow_id,
  channel: r.channel,
  address: r.address,
  codeHash: r.code_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  attempts: r.attempts,
  verifiedAt: r.verified_at,
});

export class PortalStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Creates or migrates the portal tables; `meta` holds their version. */
  static open(db: SqliteDatabase, meta: MetaRepository): PortalStore {
    const current = Number(meta.get(VERSION_KEY) ?? '0');
    if (current > MIGRATIONS.length)
      throw new Error(`portal schema v${current} is newer than this build (v${MIGRATIONS.length})`);
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[version]!);
        meta.put(VERSION_KEY, String(version + 1));
      })();
    }
    return new PortalStore(db);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // --- flows and OTPs -------------------------------------------------------------------------

  insertFlow(flow: Flow): void {
    this.db
      .prepare(
        `INSERT INTO portal_flows (id, kind, owner, gstin, mobile, email, client_id, user_name, created_at, expires_at, state)
         VALUES (@id, @kind, @owner, @gstin, @mobile, @email, @clientId, @userName, @createdAt, @expiresAt, @state)`,
      )
      .run(flow);
  }

  findFlow(id: string): Flow | undefined {
    const row = this.db.prepare<[string], FlowRow>('SELECT * FROM portal_flows WHERE id = ?').get(id);
    return row && flowFromRow(row);
  }

  completeFlow(id: string): boolean {
    return (
      this.db.prepare(`UPDATE portal_flows SET state = 'done' WHERE id = ? AND state = 'open'`).run(id)
        .changes === 1
    );
  }

  insertOtp(otp: {
    flowId: string;
    channel: OtpChannel;
    address: string;
    gstin: string;
    ip: string;
    codeHash: string;
    createdAt: number;
    expiresAt: number;
  }): void {
    // A new OTP for a channel replaces the previous one of the same flow.
    this.db
      .prepare(
        `UPDATE portal_otps SET superseded_at = ? WHERE flow_id = ? AND channel = ? AND superseded_at IS NULL`,
      )
      .run(otp.createdAt, otp.flowId, otp.channel);
    this.db
      .prepare(
        `INSERT INTO portal_otps (flow_id, channel, address, gstin, ip, code_hash, created_at, expires_at)
         VALUES (@flowId, @channel, @address, @gstin, @ip, @codeHash, @createdAt, @expiresAt)`,
      )
      .run(otp);
  }

  /** The live (not superseded) OTP of each channel of a flow. */
  currentOtps(flowId: string): Otp[] {
    return this.db
      .prepare<[string], OtpRow>(
        `SELECT * FROM portal_otps WHERE flow_id = ? AND superseded_at IS NULL ORDER BY channel`,
      )
      .all(flowId)
      .map(otpFromRow);
  }

  countOtpsSentInFlow(flowId: string): number {
    return this.db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM portal_otps WHERE flow_id = ?')
      .get(flowId)!.n;
  }

  recordOtpAttempt(id: number): void {
    this.db.prepare('UPDATE portal_otps SET attempts = attempts + 1 WHERE id = ?').run(id);
  }

  markOtpVerified(id: number, nowMs: number): void {
    this.db.prepare('UPDATE portal_otps SET verified_at = ? WHERE id = ?').run(nowMs, id);
  }

  /** OTPs sent since `sinceMs` to a GSTIN, an address (mobile or e-mail) or from an IP. */
  otpsSentSince(
    column: 'gstin' | 'address' | 'ip',
    value: string,
    sinceMs: number,
  ): { n: number; oldest: number | null } {
    return this.db
      .prepare<[string, number], { n: number; oldest: number | null }>(
        `SELECT count(*) AS n, min(created_at) AS oldest FROM portal_otps WHERE ${column} = ? AND created_at >= ?`,
      )
      .get(value, sinceMs)!;
  }

  // --- outbox ---------------------------------------------------------------------------------

  insertOutbox(message: Omit<OutboxMessage, 'id'> & { owner: string }): void {
    this.db
      .prepare(
        `INSERT INTO portal_outbox (owner, channel, address, subject, body, created_at)
         VALUES (@owner, @channel, @address, @subject, @body, @createdAt)`,
      )
      .run(message);
  }

  outbox(owner: string, limit = 50): OutboxMessage[] {
    return this.db
      .prepare<[string, number], OutboxMessage & { created_at: number }>(
        `SELECT id, channel, address, subject, body, created_at FROM portal_outbox WHERE owner = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(owner, limit)
      .map((r) => ({
        id: r.id,
        channel: r.channel,
        address: r.address,
        subject: r.subject,
        body: r.body,
        createdAt: r.created_at,
      }));
  }

  // --- accounts -------------------------------------------------------------------------------

  /** Reserves a GSTIN and user name for a client; false when either is taken. */
  reserveGstin(gstin: string, clientId: string, userName: string, nowMs: number): boolean {
    const taken = this.db
      .prepare<[{ gstin: string; userName: string }], { n: number }>(
        `SELECT (SELECT count(*) FROM portal_gstins WHERE gstin = @gstin OR user_name = @userName COLLATE NOCASE)
              + (SELECT count(*) FROM api_users WHERE gstin = @gstin OR user_name = @userName COLLATE NOCASE) AS n`,
      )
      .get({ gstin, userName })!.n;
    if (taken > 0) return false;
    this.db
      .prepare('INSERT INTO portal_gstins (gstin, client_id, user_name, created_at) VALUES (?, ?, ?, ?)')
      .run(gstin, clientId, userName, nowMs);
    return true;
  }

  releaseGstin(gstin: string): void {
    this.db.prepare('DELETE FROM portal_gstins WHERE gstin = ?').run(gstin);
  }

  /** Whether any API user (portal, demo or admin-created) already has this GSTIN. */
  gstinRegistered(gstin: string): boolean {
    return (
      this.db
        .prepare<[string, string], { n: number }>(
          `SELECT (SELECT count(*) FROM portal_gstins WHERE gstin = ?)
                + (SELECT count(*) FROM api_users WHERE gstin = ?) AS n`,
        )
        .get(gstin, gstin)!.n > 0
    );
  }

  insertAccount(account: PortalAccount): void {
    this.db
      .prepare(
        `INSERT INTO portal_accounts (client_id, pan, mobile, email, created_at)
         VALUES (@clientId, @pan, @mobile, @email, @createdAt)`,
      )
      .run(account);
  }

  findAccount(clientId: string): PortalAccount | undefined {
    const row = this.db
      .prepare<
        [string],
        { client_id: string; pan: string; mobile: string; email: string; created_at: number }
      >('SELECT * FROM portal_accounts WHERE client_id = ?')
      .get(clientId);
    return (
      row && {
        clientId: row.client_id,
        pan: row.pan,
        mobile: row.mobile,
        email: row.email,
        createdAt: row.created_at,
      }
    );
  }

  /** The API users (one per GSTIN) of a portal client. */
  usersOf(clientId: string): PortalUser[] {
    return this.db
      .prepare<[string], { user_name: string; gstin: string; client_id: string; password_hash: string }>(
        `SELECT u.user_name, u.gstin, u.client_id, u.password_hash
         FROM portal_gstins g JOIN api_users u ON u.user_name = g.user_name COLLATE NOCASE
         WHERE g.client_id = ? ORDER BY g.created_at, u.gstin`,
      )
      .all(clientId)
      .map((r) => ({
        userName: r.user_name,
        gstin: r.gstin,
        clientId: r.client_id,
        passwordHash: r.password_hash,
      }));
  }

  /** A user registered through the portal, by user name (any case). */
  findPortalUser(userName: string): PortalUser | undefined {
    const row = this.db
      .prepare<[string], { user_name: string; gstin: string; client_id: string; password_hash: string }>(
        `SELECT u.user_name, u.gstin, u.client_id, u.password_hash
         FROM portal_gstins g JOIN api_users u ON u.user_name = g.user_name COLLATE NOCASE
         WHERE g.user_name = ? COLLATE NOCASE`,
      )
      .get(userName);
    return (
      row && {
        userName: row.user_name,
        gstin: row.gstin,
        clientId: row.client_id,
        passwordHash: row.password_hash,
      }
    );
  }

  // --- sessions -------------------------------------------------------------------------------

  insertSession(session: PortalSession): void {
    this.db
      .prepare(
        `INSERT INTO portal_sessions (id_hash, client_id, user_name, created_at, last_seen_at, expires_at)
         VALUES (@idHash, @clientId, @userName, @createdAt, @lastSeenAt, @expiresAt)`,
      )
      .run(session);
  }

  findSession(idHash: string): PortalSession | undefined {
    const row = this.db
      .prepare<
        [string],
        {
          id_hash: string;
          client_id: string;
          user_name: string;
          created_at: number;
          last_seen_at: number;
          expires_at: number;
        }
      >('SELECT * FROM portal_sessions WHERE id_hash = ?')
      .get(idHash);
    return (
      row && {
        idHash: row.id_hash,
        clientId: row.client_id,
        userName: row.user_name,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
      }
    );
  }

  touchSession(idHash: string, nowMs: number): void {
    this.db.prepare('UPDATE portal_sessions SET last_seen_at = ? WHERE id_hash = ?').run(nowMs, idHash);
  }

  deleteSession(idHash: string): void {
    this.db.prepare('DELETE FROM portal_sessions WHERE id_hash = ?').run(idHash);
  }

  deleteExpiredSessions(nowMs: number): void {
    this.db.prepare('DELETE FROM portal_sessions WHERE expires_at <= ?').run(nowMs);
  }

  // --- console scenarios (core tables; see the module comment) --------------------------------

  /** Ends a live token of this user now, as if its validity had run out. */
  expireToken(token: string, clientId: string, userName: string, nowMs: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE auth_tokens SET expires_at = ? WHERE token = ? AND client_id = ? AND user_name = ? COLLATE NOCASE`,
        )
        .run(nowMs - 1, token, clientId, userName).changes === 1
    );
  }

  /** Moves the acknowledgement time of an IRN of this GSTIN back by `ms` (the 24-hour cancel scenario). */
  backdateIrn(irn: string, gstin: string, ms: number): boolean {
    return (
      this.db
        .prepare(`UPDATE irns SET ack_at = ack_at - ? WHERE irn = ? AND gstin = ? AND state = 'ACT'`)
        .run(ms, irn, gstin).changes === 1
    );
  }
}
