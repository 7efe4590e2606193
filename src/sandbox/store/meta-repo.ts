import type { SqliteDatabase } from './database.js';

/** Small key/value facts about this sandbox instance, and monotonic number sequences. */
export class MetaRepository {
  private readonly getStmt;
  private readonly putStmt;
  private readonly nextStmt;

  constructor(db: SqliteDatabase) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.putStmt = db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.nextStmt = db.prepare<[string], { value: number }>(
      `INSERT INTO sequences (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1
       RETURNING value`,
    );
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  put(key: string, value: string): void {
    this.putStmt.run(key, value);
  }

  /** The next value of a named sequence, starting at 1. */
  next(sequence: string): number {
    return this.nextStmt.get(sequence)!.value;
  }
}
