import type { SqliteDatabase } from './database.js';

export type KeyPurpose = 'encryption' | 'signing';

export interface StoredKeyMaterial {
  purpose: KeyPurpose;
  privateKeyPem: string;
  publicKeyPem: string;
  certificatePem: string | null;
}

interface Row {
  purpose: KeyPurpose;
  private_key_pem: string;
  public_key_pem: string;
  certificate_pem: string | null;
}

/** The RSA keys of the sandbox, kept in the database so a restart keeps the same keys and certificate. */
export class KeysRepository {
  constructor(private readonly db: SqliteDatabase) {}

  find(purpose: KeyPurpose): StoredKeyMaterial | undefined {
    const row = this.db
      .prepare<[KeyPurpose], Row>(
        'SELECT purpose, private_key_pem, public_key_pem, certificate_pem FROM key_material WHERE purpose = ?',
      )
      .get(purpose);
    return (
      row && {
        purpose: row.purpose,
        privateKeyPem: row.private_key_pem,
        publicKeyPem: row.public_key_pem,
        certificatePem: row.certificate_pem,
      }
    );
  }

  /** Stores `material` unless keys for that purpose already exist; returns whichever is stored. */
  insertIfAbsent(material: StoredKeyMaterial, nowMs: number): StoredKeyMaterial {
    this.db
      .prepare(
        `INSERT INTO key_material (purpose, private_key_pem, public_key_pem, certificate_pem, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (purpose) DO NOTHING`,
      )
      .run(material.purpose, material.privateKeyPem, material.publicKeyPem, material.certificatePem, nowMs);
    return this.find(material.purpose)!;
  }
}
