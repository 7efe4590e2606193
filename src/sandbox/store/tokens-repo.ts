import type { SqliteDatabase } from './database.js';

/** An auth token and the session it stands for: who logged in, for which GSTIN, with which SEK. */
export interface AuthToken {
  token: string;
  clientId: string;
  userName: string;
  gstin: string;
  sek: Buffer;
  issuedAt: number;
  expiresAt: number;
}

interface Row {
  token: string;
  client_id: string;
  user_name: string;
  gstin: string;
  sek: Buffer;
  issued_at: number;
  expires_at: number;
}

const fromRow = (r: Row): AuthToken => ({
  token: r.token,
  clientId: r.client_id,
  userName: r.user_name,
  gstin: r.gstin,
  sek: r.sek,
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
});

export interface TokenFilter {
  clientId?: string;
  userName?: string;
  gstin?: string;
  token?: string;
}

export class TokensRepository {
  private readonly findLiveStmt;
  private readonly findSessionStmt;
  private readonly insertStmt;
  private readonly revokeStmt;

  constructor(private readonly db: SqliteDatabase) {
    this.findLiveStmt = db.prepare<[string, number], Row>(
      'SELECT * FROM auth_tokens WHERE token = ? AND revoked_at IS NULL AND expires_at > ?',
    );
    this.findSessionStmt = db.prepare<[string, string, string, number], Row>(
      `SELECT * FROM auth_tokens
       WHERE client_id = ? AND user_name = ? AND gstin = ? AND revoked_at IS NULL AND expires_at > ?
       ORDER BY expires_at DESC LIMIT 1`,
    );
    this.insertStmt = db.prepare(
      `INSERT INTO auth_tokens (token, client_id, user_name, gstin, sek, issued_at, expires_at)
       VALUES (@token, @clientId, @userName, @gstin, @sek, @issuedAt, @expiresAt)`,
    );
    this.revokeStmt = db.prepare<[number, string]>('UPDATE auth_tokens SET revoked_at = ? WHERE token = ?');
  }

  /** The token if it is neither revoked nor expired at `nowMs`. */
  findLive(token: string, nowMs: number): AuthToken | undefined {
    const row = this.findLiveStmt.get(token, nowMs);
    return row && fromRow(row);
  }

  findLiveSession(clientId: string, userName: string, gstin: string, nowMs: number): AuthToken | undefined {
    const row = this.findSessionStmt.get(clientId, userName, gstin, nowMs);
    return row && fromRow(row);
  }

  insert(token: AuthToken): void {
    this.insertStmt.run(token);
  }

  revoke(token: string, nowMs: number): void {
    this.revokeStmt.run(nowMs, token);
  }

  /** Revokes every live token matching the filter (all of them for an empty filter); returns how many. */
  revokeMatching(filter: TokenFilter, nowMs: number): number {
    const clauses = ['revoked_at IS NULL', 'expires_at > @now'];
    if (filter.clientId !== undefined) clauses.push('client_id = @clientId');
    if (filter.userName !== undefined) clauses.push('user_name = @userName COLLATE NOCASE');
    if (filter.gstin !== undefined) clauses.push('gstin = @gstin');
    if (filter.token !== undefined) clauses.push('token = @token');
    return this.db
      .prepare(`UPDATE auth_tokens SET revoked_at = @now WHERE ${clauses.join(' AND ')}`)
      .run({ ...filter, now: nowMs }).changes;
  }

  /** Runs `fn` atomically: no other request can interleave between its reads and writes. */
}
