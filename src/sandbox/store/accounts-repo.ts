import type { SqliteDatabase } from './database.js';

/** An API client (ERP or GSP) as registered on the IRP: its id and the scrypt hash of its secret. */
export interface ApiClient {
  clientId: string;
  secretHash: string;
}

/** An API user: the login of one taxpayer (GSTIN) under one client. */
export interface ApiUser {
  userName: string;
  clientId: string;
  passwordHash: string;
  gstin: string;
}

export class AccountsRepository {
  private readonly clientStmt;
  private readonly userStmt;

  constructor(private readonly db: SqliteDatabase) {
    this.clientStmt = db.prepare<[string], { client_id: string; secret_hash: string }>(
      'SELECT client_id, secret_hash FROM api_clients WHERE client_id = ?',
    );
    // User names are matched case-insensitively, as the portal treats them.
    this.userStmt = db.prepare<
      [string],
      { user_name: string; client_id: string; password_hash: string; gstin: string }
    >('SELECT user_name, client_id, password_hash, gstin FROM api_users WHERE user_name = ? COLLATE NOCASE');
  }

  findClient(clientId: string): ApiClient | undefined {
    const row = this.clientStmt.get(clientId);
    return row && { clientId: row.client_id, secretHash: row.secret_hash };
  }

  findUser(userName: string): ApiUser | undefined {
    const row = this.userStmt.get(userName);
    return (
      row && {
        userName: row.user_name,
        clientId: row.client_id,
        passwordHash: row.password_hash,
        gstin: row.gstin,
      }
    );
  }

  upsertClient(client: ApiClient, nowMs: number): void {
    this.db
      .prepare(
        `INSERT INTO api_clients (client_id, secret_hash, created_at) VALUES (?, ?, ?)
         ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash`,
      )
      .run(client.clientId, client.secretHash, nowMs);
  }

  upsertUser(user: ApiUser, nowMs: number): void {
    this.db
      .prepare(
        `INSERT INTO api_users (user_name, client_id, password_hash, gstin, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_name) DO UPDATE SET client_id = excluded.client_id,
           password_hash = excluded.password_hash, gstin = excluded.gstin`,
      )
      .run(user.userName, user.clientId, user.passwordHash, user.gstin, nowMs);
  }
}
