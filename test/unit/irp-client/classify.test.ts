import { describe, expect, it } from 'vitest';
import {
  classifyAuthErrors,
  classifyHttpResponse,
  classifyIrpErrors,
  isCredentialsCode,
  isTransientCode,
  transientFromErrors,
} from '../../../src/irp/client/classify.js';
import {
  decryptResponseData,
  encryptRequestData,
  isGarbled,
  parseEnvelope,
} from '../../../src/irp/client/envelope.js';
import { generateSek } from '../../../src/irp/crypto.js';

const e = (...codes: string[]) => codes.map((code) => ({ code, message: `m${code}` }));
const res = (status: number, body: unknown) => ({
  status,
  headers: {},
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('classifyIrpErrors', () => {
  it.each([
    [['1005'], 'token'],
    [['2189', '1005'], 'token'],
    [['1008'], 'credentials'],
    [['1010'], 'credentials'],
    [['1015'], 'credentials'],
    [['1019'], 'credentials'],
    [['2150'], 'duplicate'],
    [['4002'], 'duplicate'],
    [['5002'], 'transient'],
    [['5001'], 'transient'],
    [['SYS_5001'], 'transient'],
    [['2146'], 'transient'],
    [['2147', '5002'], 'transient'],
    [['2189'], 'rejected'],
    [['2189', '2182'], 'rejected'],
    [['3028'], 'rejected'],
    [['5002', '2189'], 'rejected'],
    [['2295'], 'rejected'],
    [['9999'], 'rejected'],
    // A code the catalogue does not know says nothing against the invoice: retried, never a rejection.
    [['ZZ123'], 'transient'],
    [['7777', '5002'], 'transient'],
    [['7777', '2189'], 'rejected'],
    [[], 'transient'],
  ] as const)('%j → %s', (codes, expected) => {
    expect(classifyIrpErrors(e(...codes))).toBe(expected);
  });

  it('never treats a request-scoped "not yours" code as a credentials failure of the whole GSTIN', () => {
    expect(isCredentialsCode('2257')).toBe(false);
    expect(isCredentialsCode('4037')).toBe(false);
    expect(classifyIrpErrors(e('2257'))).toBe('rejected');
  });

  it('knows the catalogue: every system code is transient, every auth code but 1005 stops', () => {
    expect(isTransientCode('3020')).toBe(true);
    expect(isTransientCode('2172')).toBe(false);
    expect(isCredentialsCode('1005')).toBe(false);
    expect(isCredentialsCode('3046')).toBe(true);
  });
});

describe('transientFromErrors', () => {
  it('names unknown codes as such (the breaker ignores them: the IRP answered)', () => {
    expect(transientFromErrors(e('7777'))).toMatchObject({ reason: 'unknown-code', code: '7777' });
    expect(transientFromErrors(e('5002', '7777'))).toMatchObject({ reason: 'unknown-code', code: '7777' });
    expect(transientFromErrors(e('5002'))).toMatchObject({ reason: 'irp-system', code: '5002' });
  });
});

describe('classifyAuthErrors', () => {
  it('system faults are transient; anything else means the login cannot succeed', () => {
    expect(classifyAuthErrors(e('5002'))).toBe('transient');
    expect(classifyAuthErrors(e('1019'))).toBe('credentials');
    expect(classifyAuthErrors(e('2189'))).toBe('credentials');
    expect(classifyAuthErrors([])).toBe('credentials');
  });
});

describe('classifyHttpResponse', () => {
  it('5xx, 408 and 429 are transient whatever the body', () => {
    for (const status of [500, 502, 503, 504, 408, 429]) {
      const c = classifyHttpResponse(
        res(status, { Status: 0, ErrorDetails: [{ ErrorCode: '2189', ErrorMessage: 'x' }] }),
      );
      expect(c).toMatchObject({ kind: 'transient', cause: { reason: 'http-status', status } });
    }
  });

  it('a 2xx body that is not an envelope is a garbled (transient) answer', () => {
    expect(classifyHttpResponse(res(200, '<html>proxy error</html>'))).toMatchObject({
      kind: 'transient',
      cause: { reason: 'garbled' },
    });
    expect(classifyHttpResponse(res(200, ''))).toMatchObject({
      kind: 'transient',
      cause: { reason: 'garbled' },
    });
    expect(classifyHttpResponse(res(200, '{"Status":1,"Da'))).toMatchObject({ kind: 'transient' });
    expect(classifyHttpResponse(res(200, { Data: 'x' }))).toMatchObject({ kind: 'transient' });
  });

  it("404/405 are an operator error (never the invoice's fault), 401/403 without envelope credentials", () => {
    for (const status of [404, 405]) {
      expect(
        classifyHttpResponse(
          res(status, { Status: 0, ErrorDetails: [{ ErrorCode: '5001', ErrorMessage: 'x' }] }),
        ),
      ).toMatchObject({ kind: 'operator', code: `HTTP_${status}`, status });
      expect(classifyHttpResponse(res(status, '<html>Not Found</html>'))).toMatchObject({ kind: 'operator' });
    }
    expect(classifyHttpResponse(res(401, 'Unauthorized'))).toMatchObject({
      kind: 'credentials',
      code: 'HTTP_401',
    });
  });

  it('other 4xx answers without an IRP envelope come from a proxy or gateway: transient, not a rejection', () => {
    for (const status of [400, 409, 413, 415, 425]) {
      expect(classifyHttpResponse(res(status, '<html>Request Rejected</html>'))).toMatchObject({
        kind: 'transient',
        cause: { reason: 'http-status', status },
      });
    }
    // With an envelope the IRP's codes decide.
    expect(
      classifyHttpResponse(res(400, { Status: 0, ErrorDetails: [{ ErrorCode: '2189', ErrorMessage: 'x' }] })),
    ).toMatchObject({ kind: 'envelope' });
  });

  it('hands a readable envelope on', () => {
    const c = classifyHttpResponse(res(200, { Status: 1, Data: 'abc', ErrorDetails: null, InfoDtls: null }));
    expect(c).toEqual({ kind: 'envelope', envelope: { ok: true, data: 'abc', info: [] } });
  });
});

describe('parseEnvelope', () => {
  it('accepts Status as number or string and member names in any case', () => {
    expect(parseEnvelope(JSON.stringify({ status: '1', data: 'x' }))).toEqual({
      ok: true,
      data: 'x',
      info: [],
    });
    expect(
      parseEnvelope(
        JSON.stringify({ Status: '0', ErrorDetails: [{ errorcode: 2150, errormessage: 'Duplicate IRN' }] }),
      ),
    ).toEqual({
      ok: false,
      errors: [{ code: '2150', message: 'Duplicate IRN' }],
      info: [],
    });
  });

  it('reads ErrorDetails given as base64 of a JSON array', () => {
    const b64 = Buffer.from(
      JSON.stringify([{ ErrorCode: '2189', ErrorMessage: 'Invalid invoice value' }]),
    ).toString('base64');
    expect(parseEnvelope(JSON.stringify({ Status: 0, ErrorDetails: b64 }))).toMatchObject({
      ok: false,
      errors: [{ code: '2189' }],
    });
  });

  it('reads the e-way-bill style error {errorCodes: "…"} with catalogue messages', () => {
    const error = Buffer.from(JSON.stringify({ errorCodes: '4007,' })).toString('base64');
    expect(parseEnvelope(JSON.stringify({ status: '0', error }))).toMatchObject({
      ok: false,
      errors: [{ code: '4007', message: 'Requested e-Way Bill is not available' }],
    });
  });

  it('reads InfoDtls, Alert, and Desc given as JSON text', () => {
    const env = parseEnvelope(
      JSON.stringify({
        Status: 0,
        ErrorDetails: [{ ErrorCode: '2150', ErrorMessage: 'Duplicate IRN' }],
        InfoDtls: [{ InfCd: 'DUPIRN', Desc: '{"AckNo":1,"AckDt":"2024-01-01 10:00:00","Irn":"ab"}' }],
      }),
    );
    expect(env).toMatchObject({ ok: false, info: [{ InfCd: 'DUPIRN', Desc: { AckNo: 1, Irn: 'ab' } }] });
    expect(
      parseEnvelope(JSON.stringify({ Status: 1, Data: 'x', Alert: [{ InfCd: 'A', Desc: 'plain text' }] })),
    ).toMatchObject({
      info: [{ InfCd: 'A', Desc: 'plain text' }],
    });
  });

  it('a Status 0 without errors, or no Status at all, is garbled', () => {
    expect(isGarbled(parseEnvelope(JSON.stringify({ Status: 0, ErrorDetails: null })))).toBe(true);
    expect(isGarbled(parseEnvelope(JSON.stringify({ Data: 'x' })))).toBe(true);
    expect(isGarbled(parseEnvelope('[]'))).toBe(true);
  });
});

describe('request/response Data', () => {
  const sek = generateSek();
  it('round-trips both payload styles, and decrypting tolerates the other style', () => {
    const value = { Irn: 'x', n: 1 };
    expect(decryptResponseData(sek, encryptRequestData(sek, value, 'json'), 'json')).toEqual(value);
    expect(decryptResponseData(sek, encryptRequestData(sek, value, 'ewb'), 'ewb')).toEqual(value);
    expect(decryptResponseData(sek, encryptRequestData(sek, value, 'json'), 'ewb')).toEqual(value);
    expect(decryptResponseData(sek, encryptRequestData(sek, value, 'ewb'), 'json')).toEqual(value);
  });

  it('throws on Data that does not decrypt (a garbled answer)', () => {
    expect(() =>
      decryptResponseData(sek, encryptRequestData(generateSek(), { a: 1 }, 'json'), 'json'),
    ).toThrow();
    expect(() => decryptResponseData(sek, 'not base64!', 'json')).toThrow();
    expect(() => decryptResponseData(sek, null, 'json')).toThrow();
  });
});
