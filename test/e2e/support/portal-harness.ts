/**
 * A sandbox with its portal for the portal tests: real HTTP on loopback, a real SQLite file (so a
 * test can count rows and scan the file for plaintext secrets), and the server log captured (the
 * sandbox "delivers" OTPs there too).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { createSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox/index.js';
import { AdminClient } from '../../integration/sandbox/harness.js';

export interface PortalHarness {
  sandbox: RunningSandbox;
  baseUrl: string;
  admin: AdminClient;
  dbPath: string;
  /** Every JSON line the sandbox logged so far. */
  logLines(): Record<string, unknown>[];
  /** Row counts of every table: compare before and after a bad request. */
  rowCounts(): Record<string, number>;
  /** The database file's bytes (main file and WAL). */
  dbBytes(): Buffer;
  close(): Promise<void>;
}

export async function startPortalHarness(options: SandboxOptions = {}): Promise<PortalHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'irp-portal-'));
  const dbPath = join(dir, 'sandbox.db');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const sandbox = await createSandbox({
    port: 0,
    db: dbPath,
    logger: pino({ level: 'info' }, sink),
    ...options,
  });
  const reader = new Database(dbPath, { readonly: true, fileMustExist: true });
  return {
    sandbox,
    baseUrl: sandbox.baseUrl,
    admin: new AdminClient(sandbox.baseUrl, sandbox.credentials.adminSecret),
    dbPath,
    logLines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    rowCounts: () => {
      const tables = reader
        .prepare<[], { name: string }>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
        )
        .all();
      return Object.fromEntries(
        tables.map((t) => [
          t.name,
          reader.prepare<[], { n: number }>(`SELECT count(*) AS n FROM "${t.name}"`).get()!.n,
        ]),
      );
    },
    dbBytes: () => {
      const parts = [readFileSync(dbPath)];
      try {
        parts.push(readFileSync(`${dbPath}-wal`));
      } catch {
        // no WAL file yet
      }
      return Buffer.concat(parts);
    },
    close: async () => {
      reader.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
