/**
 * Fuzz: HTTP requests to the sandbox over real sockets — any method, path (the IRP's, the sandbox's own,
 * garbage), headers (the IRP's, duplicated, oversized, with control characters) and body (JSON, garbage,
 * big). Every request is answered (or the connection closed by the HTTP parser) within a bound; no
 * unhandled error is logged; no answer repeats a long value or an escape code it was sent; the sandbox
 * still answers its health check afterwards; memory stays bounded. Size: FUZZ_RUNS, else small.
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, HEALTH_PATH, type RunningSandbox } from '../../../src/sandbox/index.js';
import { FUZZ_SEED, HOSTILE_STRINGS, expectMemoryBounded, fuzzRuns } from '../../support/fuzz.js';

const logged: string[] = [];
let sandbox: RunningSandbox;
let port: number;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  });
  sandbox = await createSandbox({ port: 0, db: ':memory:', logger: pino({ level: 'warn' }, sink) });
  port = Number(new URL(sandbox.baseUrl).port);
});
afterAll(async () => {
  await sandbox.close();
});

/** Sends raw bytes, returns what came back (status line and all) when the server ends or goes quiet. */
function exchange(request: Buffer, quietMs = 400, boundMs = 8000): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let quiet: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(quiet);
      clearTimeout(bound);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), ms: performance.now() - started });
    };
    const bound = setTimeout(() => reject(new Error(`no answer within ${boundMs} ms`)), boundMs);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      clearTimeout(quiet);
      // A complete answer with Content-Length: done; else wait for quiet or close.
      quiet = setTimeout(finish, quietMs);
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', () => finish());
    socket.write(request, () => socket.end());
  });
}

const PATHS = [
  '/eivital/v1.04/auth',
  '/eivital/v1.03/auth',
  '/eicore/v1.03/Invoice',
  '/eicore/v1.03/Invoice/Cancel',
  '/eicore/v1.03/Invoice/irn/' + 'a'.repeat(64),
  '/eicore/v1.03/Invoice/irnbydocdetails?doctype=INV&docnum=1&docdate=01/01/2025',
  '/eiewb/v1.03/ewaybill',
  '/sandbox/health',
  '/sandbox/public-key.pem',
  '/sandbox/admin/stats',
  '/sandbox/admin/faults',
  '/portal/',
  '/',
  '/%00',
  '/..%2f..%2fetc/passwd',
];
const METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'TRACE',
  'CONNECT',
  'BREW',
  'get',
];
const HEADER_NAMES = [
  'client_id',
  'client_secret',
  'user_name',
  'authtoken',
  'Gstin',
  'Content-Type',
  'Content-Length',
  'x-admin-secret',
  'Transfer-Encoding',
  'Host',
];

const token = fc.stringMatching(/^[A-Za-z0-9_.~-]{0,12}$/);
const headerValue = fc.oneof(
  token,
  fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 5000 && !/[\r\n]/.test(s))),
  fc.constantFrom('application/json', 'chunked', '-1', '99999999999', '0', 'gzip'),
);
const body = fc.oneof(
  fc.constant(''),
  fc.json(),
  fc.constantFrom(
    '{"Data":"AAAA"}',
    '{"Data":',
    '{"UserName":"u","Password":"p","AppKey":"k","ForceRefreshAccessToken":true}',
    '[]',
  ),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom(...HOSTILE_STRINGS).map((s) => JSON.stringify({ Data: s })),
);

const request = fc.record({
  method: fc.oneof(fc.constantFrom(...METHODS), token),
  path: fc.oneof(
    fc.constantFrom(...PATHS),
    fc.webPath(),
    fc.string({ maxLength: 30 }).map((s) => '/' + s),
  ),
  headers: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...HEADER_NAMES), token), headerValue), {
    maxLength: 8,
  }),
  body,
  lengthMode: fc.constantFrom('right', 'right', 'none', 'short', 'long'),
});

describe('fuzz: HTTP requests to the sandbox', () => {
  it('every request is answered within a bound, without an unhandled error or an echoed long value', async () => {
    const baseline = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const bodyBytes = Buffer.from(r.body, 'latin1');
        const lines = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
        for (const [k, v] of r.headers) if (k !== '' && !/^host$/i.test(k)) lines.push(`${k}: ${v}`);
        const length = {
          right: bodyBytes.length,
          none: -1,
          short: Math.max(0, bodyBytes.length - 3),
          long: bodyBytes.length + 5,
        }[r.lengthMode];
        if (length >= 0) lines.push(`Content-Length: ${length}`);
        const { text, ms } = await exchange(
          Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), bodyBytes]),
        );
        expect(ms).toBeLessThan(8000);
        if (text !== '') expect(text).toMatch(/^HTTP\/1\.1 \d{3} /);
        const answer = text.slice(text.indexOf('\r\n\r\n') + 4);
        if (r.body.includes('\u001b') || r.headers.some(([, v]) => v.includes('\u001b')))
          expect(answer).not.toContain('\u001b');
        expect(answer).not.toContain('a'.repeat(1000));
      }),
      { numRuns: fuzzRuns(150), seed: FUZZ_SEED },
    );
    const health = await fetch(`${sandbox.baseUrl}${HEALTH_PATH}`);
    expect(health.status).toBe(200);
    expect(logged.filter((l) => l.includes('unhandled'))).toEqual([]);
    expectMemoryBounded(baseline);
  }, 900_000);

  it('a 10 MB header value and a 100 MB declared body are refused without being read', async () => {
    const big = await exchange(
      Buffer.from(
        `POST /eicore/v1.03/Invoice HTTP/1.1\r\nHost: x\r\nclient_id: ${'a'.repeat(10 * 1024 * 1024)}\r\n\r\n`,
        'latin1',
      ),
    );
    expect(big.text === '' || /^HTTP\/1\.1 4\d\d /.test(big.text)).toBe(true);
    const declared = await exchange(
      Buffer.from(
        'POST /eivital/v1.04/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{',
        'latin1',
      ),
    );
    // NIC answers refusals as HTTP 200 with Status 0 and an error code; the sandbox does the same.
    expect(declared.text).toMatch(/^HTTP\/1\.1 (4\d\d .*|200 OK[\s\S]*"Status":0[\s\S]*"5002")/);
    expect(declared.text).toContain('too large');
  }, 60_000);
});
