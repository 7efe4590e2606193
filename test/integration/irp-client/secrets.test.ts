/**
 * Issue 14, item 15, with the real client and the sandbox over HTTP: the configuration's secrets stay
 * registered for scrubbing however many logins the process makes. Each login registers an AppKey, a SEK
 * and a token (seven spellings); the old 512-value registry then forgot the password and client secret
 * after about 73 logins, and a log line quoting them printed them in clear.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SecretRegistry,
  createIrpClient,
  createRedactingLogger,
  type IrpClient,
} from '../../../src/irp/client/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { clientConfig, startSandbox, type Admin } from './harness.js';

let sandbox: RunningSandbox;
let admin: Admin;
let client: IrpClient;
const registry = new SecretRegistry();
const chunks: string[] = [];
const log = createRedactingLogger(
  { level: 'info' },
  new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }),
  registry,
);

beforeAll(async () => {
  ({ sandbox, admin } = await startSandbox());
  client = createIrpClient(clientConfig(sandbox), { logger: log, secrets: registry });
});

afterAll(async () => {
  await client?.close();
  await sandbox?.close();
});

describe('configuration secrets in a long-running process', () => {
  it('after 80 logins the password and client secret are still scrubbed from every log line', async () => {
    const { gstin, password, clientSecret } = sandbox.credentials;
    for (let i = 0; i < 80; i++) {
      await admin.invalidateTokens({ gstin });
      const outcome = await client.gstinDetails(gstin, gstin);
      expect(outcome.kind).toBe('success');
    }
    expect(client.stats().logins).toBeGreaterThanOrEqual(80);

    log.info(`retrying with client_secret=${clientSecret}`);
    log.error({ err: new Error(`auth refused for password ${password}`) }, 'login failed');
    log.warn({ note: `password=${password}&secret=${clientSecret}` }, 'request');
    const text = chunks.join('');
    expect(text).toContain('login failed');
    expect(text).not.toContain(password);
    expect(text).not.toContain(clientSecret);
    expect(registry.size).toBeGreaterThan(512); // the session secrets did overflow the bounded tier
  });
});
