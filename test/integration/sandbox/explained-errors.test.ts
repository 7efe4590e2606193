/**
 * Where NIC's message is generic, the sandbox's ErrorMessage names the offending field after NIC's own
 * text, and its request log line says why (never a secret).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoice, startHarness, type Harness } from './harness.js';
import type { SpecClient } from './spec-client.js';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let h: Harness;
let c: SpecClient;
beforeAll(async () => {
  h = await startHarness({ logger: pino({ level: 'info' }, sink) });
  c = await h.loggedIn();
});
afterAll(() => h.close());

const lastRequestLog = () => [...lines].reverse().find((l) => l.msg === 'irp request')!;

describe('explained errors', () => {
  it('2140 names the field and the constraint; the log line gives the same reason', async () => {
    const inv = invoice({ seller: h.creds.gstin });
    inv.TranDtls.SupTyp = 'B2C';
    const res = await c.post('/eicore/v1.03/Invoice', inv);
    expect(res.envelope.ErrorDetails).toEqual([
      {
        ErrorCode: '2140',
        ErrorMessage:
          'Error while validating invoice - TranDtls.SupTyp must be one of B2B, SEZWP, SEZWOP, EXPWP, EXPWOP, DEXP',
      },
    ]);
    expect(lastRequestLog()).toMatchObject({
      api: 'generate-irn',
      codes: ['2140'],
      reason: '2140 TranDtls.SupTyp must be one of B2B, SEZWP, SEZWOP, EXPWP, EXPWOP, DEXP',
    });
  });

  it('2142 on Cancel IRN and 4006 on Cancel EWB say which parameter is wrong', async () => {
    const cancel = await c.post('/eicore/v1.03/Invoice/Cancel', { Irn: 'a'.repeat(64), CnlRsn: '9' });
    expect(cancel.envelope.ErrorDetails).toEqual([
      {
        ErrorCode: '2142',
        ErrorMessage: expect.stringMatching(/ - CnlRsn must be "1", "2", "3" or "4"$/) as unknown,
      },
    ]);
    const ewb = await c.cancelEwb('/ewaybillapi/v1.03/ewayapi', { ewbNo: 181000000001, cancelRsnCode: '7' });
    expect(ewb.envelope.ErrorDetails![0]!.ErrorMessage).toMatch(/ - cancelRsnCode must be 1, 2, 3 or 4$/);
  });

  it('3009 says which layer of the payload could not be read', async () => {
    const res = await c.raw('POST', '/eicore/v1.03/Invoice', {
      headers: c.sessionHeaders(),
      body: JSON.stringify({ Data: 'not base64!' }),
    });
    expect((res.json as { ErrorDetails: unknown }).ErrorDetails).toEqual([
      { ErrorCode: '3009', ErrorMessage: expect.stringMatching(/ - Data is not base64$/) as unknown },
    ]);
  });

  it("1005 keeps NIC's message; the log says why the token was refused", async () => {
    const res = await c.raw('GET', `/eivital/v1.03/Master/gstin/${h.creds.gstin}`, {
      headers: { ...c.sessionHeaders(), AuthToken: 'AAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect((res.json as { ErrorDetails: unknown }).ErrorDetails).toEqual([
      { ErrorCode: '1005', ErrorMessage: 'Invalid Token' },
    ]);
    expect(lastRequestLog()).toMatchObject({
      codes: ['1005'],
      reason: 'AuthToken unknown, revoked or expired',
    });
    expect(JSON.stringify(lines)).not.toContain(h.creds.password);
    expect(JSON.stringify(lines)).not.toContain(h.creds.clientSecret);
  });
});
