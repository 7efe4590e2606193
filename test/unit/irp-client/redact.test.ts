import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  SecretRegistry,
  createRedactingLogger,
  isSecretKey,
  redactValue,
  redactingChildOptions,
} from '../../../src/irp/client/redact.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const password = 'Sx9@hunter2-secret';
const clientSecret = 'cs_ABCDEFGHIJKLMNOP';
const appKey = Buffer.alloc(32, 7);
const sek = Buffer.alloc(32, 9);
const token = 'AbCdEfGhIjKlMnOpQrStUvWxY';

function registry(): SecretRegistry {
  const r = new SecretRegistry();
  [password, clientSecret, token].forEach((s) => r.add(s));
  r.add(appKey);
  r.add(sek);
  return r;
}

describe('isSecretKey', () => {
  it('recognises secret property names in every spelling', () => {
    for (const k of [
      'password',
      'Password',
      'client_secret',
      'clientSecret',
      'client-secret',
      'AppKey',
      'appkey',
      'Sek',
      'AuthToken',
      'authtoken',
      'token',
    ]) {
      expect(isSecretKey(k), k).toBe(true);
    }
    for (const k of ['gstin', 'Irn', 'userName', 'clientId', 'tokenExpiry'])
      expect(isSecretKey(k), k).toBe(false);
  });

  it('recognises names that end like a secret: saslPassword, x-admin-secret, registryPassword, sasl.password', () => {
    for (const k of [
      'saslPassword',
      'sasl_password',
      'x-admin-secret',
      'X-Admin-Secret',
      'registryPassword',
      'sasl.password',
      'schemaRegistryPassword',
      'privateKeyPem',
      'csrfToken',
      'Authorization',
      'passphrase',
    ]) {
      expect(isSecretKey(k), k).toBe(true);
    }
    for (const k of ['secrets', 'tokens', 'username', 'passwordFile0']) expect(isSecretKey(k), k).toBe(false);
  });
});

describe('redactValue', () => {
  it('replaces secret-named properties at any depth and scrubs registered values inside strings', () => {
    const r = registry();
    const out = redactValue(
      {
        a: {
          b: {
            c: {
              d: { headers: { client_secret: clientSecret, AuthToken: token, Gstin: '02AABCI2026B1ZL' } },
            },
          },
        },
        message: `login failed for password ${password} with key ${appKey.toString('base64')}`,
        list: [{ Sek: sek.toString('base64') }, `token=${token}`],
        raw: sek,
        err: new Error(`boom ${sek.toString('base64')}`),
      },
      r,
    );
    const text = JSON.stringify(out);
    for (const secret of [password, clientSecret, token, appKey.toString('base64'), sek.toString('base64')]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('02AABCI2026B1ZL');
    expect(text).toContain(REDACTED);
    expect(text).toContain('[32 bytes]');
  });

  it('registry forgets the oldest session secrets beyond its capacity and ignores very short ones', () => {
    const r = new SecretRegistry(2);
    r.add('ok');
    expect(r.size).toBe(0);
    r.add('first-secret');
    r.add('second-secret');
    r.add('third-secret');
    expect(r.size).toBe(2);
    expect(r.scrub('first-secret third-secret')).toBe(`first-secret ${REDACTED}`);
  });

  it("configuration secrets stay registered for good: 100 logins' worth of session secrets evict none", () => {
    const r = new SecretRegistry();
    const sasl = 'sasl-pass-1';
    const registryPassword = 'sr-pass-2';
    for (const s of [password, clientSecret, sasl, registryPassword]) r.pin(s);
    // One login registers an AppKey and a SEK (three spellings each) and a token: 7 values, so the old
    // 512-value registry forgot the configuration's secrets after about 73 logins.
    for (let login = 0; login < 100; login++) {
      r.add(randomBytes(32));
      r.add(randomBytes(32));
      r.add(randomBytes(24).toString('base64'));
    }
    expect(r.pinnedSize).toBe(4);
    for (const s of [password, clientSecret, sasl, registryPassword])
      expect(r.scrub(`connect with ${s}.`)).toBe(`connect with ${REDACTED}.`);
  });

  it('short configuration secrets are scrubbed too, as whole words', () => {
    const r = new SecretRegistry();
    r.pin('k9');
    r.pin('pw!1');
    expect(r.scrub('password k9 sent; k9x and ak9 are other words; pw!1.')).toBe(
      `password ${REDACTED} sent; k9x and ak9 are other words; ${REDACTED}.`,
    );
  });

  it('secrets are also found in their JSON-escaped and URL-encoded spellings', () => {
    const r = new SecretRegistry();
    const odd = 'p"a\\ss w/rd&1';
    r.pin(odd);
    expect(r.scrub(JSON.stringify({ m: `x ${odd} y` }))).not.toContain('a\\\\ss');
    expect(r.scrub(`https://u:${encodeURIComponent(odd)}@registry:8081`)).toBe(
      `https://u:${REDACTED}@registry:8081`,
    );
  });
});

describe('redacting loggers', () => {
  it('createRedactingLogger prints no secret whatever is logged: objects, messages, errors, bindings', () => {
    const r = registry();
    const out = capture();
    const log = createRedactingLogger({ level: 'trace' }, out.stream, r);
    const child = log.child({ session: `tok ${token}` });
    child.info(
      { credentials: [{ password, clientSecret }], headers: { client_secret: clientSecret } },
      'configured',
    );
    child.warn(`message with ${password} and ${sek.toString('hex')}`);
    child.error({ err: new Error(`failed with ${appKey.toString('base64')}`) }, 'auth failed');
    child.debug({ deep: { a: { b: { c: { AppKey: appKey.toString('base64'), Sek: 'x' } } } } });
    const text = out.text();
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    for (const secret of [
      password,
      clientSecret,
      token,
      appKey.toString('base64'),
      sek.toString('base64'),
      sek.toString('hex'),
    ]) {
      expect(text).not.toContain(secret);
    }
    for (const line of text.trim().split('\n')) JSON.parse(line); // still valid JSON lines
  });

  it('keeps every line valid JSON when a short secret looks like a number, a key or a literal', () => {
    const r = new SecretRegistry();
    for (const s of ['30', 'msg', 'true', 'a"b']) r.pin(s);
    const out = capture();
    const log = createRedactingLogger({ level: 'info' }, out.stream, r);
    log.info({ flag: true, n: 30, note: 'the code is 30', quote: 'say a"b now' }, 'msg one');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, flag: true, n: 30 });
    expect(line.note).toBe(`the code is ${REDACTED}`);
    expect(line.quote).toBe(`say ${REDACTED} now`);
    expect(line.msg).toBe(`${REDACTED} one`);
  });

  it('redacts secret-named members of what a pipeline logs: saslPassword, x-admin-secret', () => {
    const out = capture();
    const log = createRedactingLogger({ level: 'info' }, out.stream, new SecretRegistry());
    log.info(
      {
        kafka: { sasl: { saslPassword: 'unregistered-1' } },
        headers: { 'x-admin-secret': 'unregistered-2' },
      },
      'config',
    );
    expect(out.text()).not.toContain('unregistered-');
  });

  it('redactingChildOptions protects a child of a logger the caller owns', () => {
    const r = registry();
    const out = capture();
    const parent = pino({ level: 'info' }, out.stream);
    const child = parent.child({ component: 'x' }, redactingChildOptions(r));
    child.info(
      { password, detail: `sek ${sek.toString('base64')}`, nested: { x: { y: { authToken: token } } } },
      'hello',
    );
    const text = out.text();
    expect(text).not.toContain(password);
    expect(text).not.toContain(sek.toString('base64'));
    expect(text).not.toContain(token);
    expect(text).toContain('hello');
  });
});
