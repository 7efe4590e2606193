/**
 * Real open-source IRP clients, as they build their requests, against the sandbox over HTTP. Each case
 * cites the file its request shape comes from; none of their code is vendored, the requests are
 * re-stated here with node:crypto (independently of the sandbox's own code, like spec-client.ts).
 *
 * - Mittal-Analytics/gst-e-invoicing (Python): src/gst_irn/session.py (headers `client-id`,
 *   `client-secret`, `gstin`, `user_name`, `AuthToken`; AppKey = base64 of 32 random bytes),
 *   src/gst_irn/generators.py (snake_case → `TaxSch`, `SupTyp`, …), tests/test.py (the invoices, with
 *   `Typ: "inv"`, `Stcd: "9"`, `EwbDtls: {Distance: 10}`; the QR NIC issued for one of them).
 * - NIC's Java auth sample v1.04 (as embedded in a public Grails service, RECORD.md [S23]): payload
 *   `{"username","password","appkey","ForceRefreshAccessToken": true}`, AppKey from
 *   `KeyGenerator.getInstance("AES").init(128)` (16 bytes), headers `client-id`, `client-secret`,
 *   `gstin`, `KeepAlive`, `AllowAutoRedirect`; the SEK decrypted with AES/ECB/PKCS5Padding under those
 *   16 bytes.
 * - resilient-tech/india-compliance: india_compliance/gst_india/api_classes/nic/e_invoice.py
 *   (`StandardEInvoiceAPI`: headers `gstin`, `user_name`, `password`, `requestid`; AppKey =
 *   base64 of the stored app-key text; `ForceRefreshAccessToken: False`), api_classes/nic/auth.py (the
 *   JSON is `frappe.as_json` — indented — then base64, then RSA PKCS#1 v1.5; SEK decrypted under
 *   base64-decode(AppKey)).
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  publicEncrypt,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { rawRequest, verifySignedJwt, type Envelope } from './spec-client.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const aes = (key: Buffer, plain: Buffer) => {
  const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  return Buffer.concat([c.update(plain), c.final()]);
};
const unaes = (key: Buffer, cipher: Buffer) => {
  const d = createDecipheriv(`aes-${key.length * 8}-ecb`, key, null);
  return Buffer.concat([d.update(cipher), d.final()]);
};
const rsa = (pem: string, text: string) =>
  publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(text, 'ascii')).toString(
    'base64',
  );

/** The Python client's session: its own login, headers and payload handling (session.py). */
class MittalSession {
  token = '';
  sek = Buffer.alloc(0);

  constructor(
    readonly c: { clientId: string; clientSecret: string; gstin: string; userName: string; password: string },
  ) {}

  async generateToken(): Promise<Envelope> {
    const appKey = randomBytes(32).toString('base64'); // _get_app_key: os.urandom(32), base64
    const payload = JSON.stringify({
      UserName: this.c.userName,
      Password: this.c.password,
      AppKey: appKey,
      ForceRefreshAccessToken: false,
    });
    const body = { Data: rsa(h.creds.publicKeyPem, Buffer.from(payload).toString('base64')) };
    const res = await rawRequest(h.creds.baseUrl, 'POST', '/eivital/v1.04/auth', {
      headers: { 'client-id': this.c.clientId, 'client-secret': this.c.clientSecret, gstin: this.c.gstin },
      body: JSON.stringify(body),
    });
    const env = res.json as Envelope;
    if (env.Status === 1) {
      const data = env.Data as { AuthToken: string; Sek: string };
      this.token = data.AuthToken;
      this.sek = unaes(Buffer.from(appKey, 'base64'), Buffer.from(data.Sek, 'base64'));
    }
    return env;
  }

  private headers() {
    return {
      'client-id': this.c.clientId,
      'client-secret': this.c.clientSecret,
      gstin: this.c.gstin,
      user_name: this.c.userName,
      AuthToken: this.token,
    };
  }

  /** `_get_data_from_response`: Status 1 → decrypted JSON; otherwise the whole response. */
  private async finish(res: { status: number; json: unknown }) {
    expect(res.status).toBe(200);
    const env = res.json as Envelope;
    if (env.Status !== 1) return { ok: false as const, env };
    const text = unaes(this.sek, Buffer.from(env.Data as string, 'base64')).toString();
    return { ok: true as const, env, data: JSON.parse(text) as Record<string, unknown> };
  }

  async post(path: string, json: unknown) {
    const body = { Data: aes(this.sek, Buffer.from(JSON.stringify(json))).toString('base64') };
    return this.finish(
      await rawRequest(h.creds.baseUrl, 'POST', path, {
        headers: this.headers(),
        body: JSON.stringify(body),
      }),
    );
  }

  async get(path: string, extra: Record<string, string> = {}) {
    return this.finish(
      await rawRequest(h.creds.baseUrl, 'GET', path, { headers: { ...this.headers(), ...extra } }),
    );
  }
}

/** tests/test.py's invoice for `test_get_e_invoice_by_irn` and friends (seller 09AAJCM7191E1Z5). */
function mittalInvoice(no: string, dt: string) {
  return {
    Version: '1.1',
    TranDtls: { TaxSch: 'GST', SupTyp: 'B2B' },
    DocDtls: { Typ: 'inv', No: no, Dt: dt },
    SellerDtls: {
      Gstin: '09AAJCM7191E1Z5',
      LglNm: 'MITTAL ANALYTICS PRIVATE LIMITED',
      Addr1: 'NIKHILESH PALACE FIRST FLOOR 17/4 ASHOK MARG',
      Loc: 'LUCKNOW',
      Pin: 226001,
      Stcd: '9',
    },
    BuyerDtls: {
      Gstin: '37AABCA7365E2ZP',
      LglNm: 'AVANTI FEEDS LIMITED',
      Pos: '37',
      Addr1: ', VEMULURU ROAD',
      Loc: 'VEMULURU',
      Pin: 534350,
      Stcd: '37',
    },
    ItemList: [
      {
        SlNo: '4',
        IsServc: 'Y',
        HsnCd: '998431',
        UnitPrice: 100,
        IgstAmt: 12,
        TotAmt: 100,
        AssAmt: 100,
        GstRt: 12.0,
        TotItemVal: 112,
      },
    ],
    ValDtls: { TotInvVal: 112, AssVal: 100, IgstVal: 12 },
    EwbDtls: { Distance: 10 },
  };
}

/** `str(uuid.uuid4())[:16]`, kept from starting with 0 (which NIC's pattern refuses as well). */
const uuidDocNo = () => `a${randomUUID().slice(1, 16)}`;

describe('Mittal-Analytics/gst-e-invoicing (Python), requests as its session.py builds them', () => {
  let s: MittalSession;
  beforeAll(async () => {
    const account = (await h.admin.createAccount({
      userName: 'mittal_user',
      password: 'Mi1@ttal',
      gstin: '09AAJCM7191E1Z5',
    })) as { clientId: string; clientSecret: string; userName: string; password: string; gstin: string };
    s = new MittalSession(account);
  });

  it('test_get_auth_token: logs in with hyphenated headers and a 32-byte AppKey', async () => {
    expect((await s.generateToken()).Status).toBe(1);
    expect(s.token).toMatch(/^[A-Za-z0-9]{25}$/);
    expect(s.sek).toHaveLength(32);
  });

  it('test_get_party_details: GSTIN details on the v1.04 path, read as converters.to_buyer reads them', async () => {
    const res = await s.get('/eivital/v1.04/Master/gstin/29AWGPV7107B1Z1');
    expect(res.ok).toBe(true);
    const d = res.ok ? res.data : {};
    for (const key of ['Gstin', 'LegalName', 'AddrFlno', 'AddrSt', 'AddrLoc', 'AddrPncd', 'StateCode'])
      expect(d).toHaveProperty(key);
  });

  it('test_get_e_invoice_by_irn: Typ "inv" registers as INV; a re-send is 2150 with DUPIRN first; get-by-IRN equals the generate answer', async () => {
    const no = uuidDocNo();
    const inv = mittalInvoice(no, '12/09/2022');
    const first = await s.post('/eicore/v1.03/Invoice', inv);
    expect(first.ok, JSON.stringify(first.env)).toBe(true);
    const einvoice = first.ok ? first.data : {};
    // IRN per §5: type upper-cased (as NIC's QR for Typ "inv" shows), number upper-cased (June 2025 rule).
    const expected = createHash('sha256')
      .update(`09AAJCM7191E1Z52022-23INV${no.toUpperCase()}`)
      .digest('hex');
    expect(einvoice.Irn).toBe(expected);
    const qr = verifySignedJwt(einvoice.SignedQRCode as string, h.creds.signingCertPem).data;
    expect(qr.DocTyp).toBe('INV');
    const signed = verifySignedJwt(einvoice.SignedInvoice as string, h.creds.signingCertPem).data as {
      DocDtls: { Typ: string };
    };
    expect(signed.DocDtls.Typ).toBe('INV');
    // EwbDtls {Distance: 10} without a transporter: the IRN stands, the EWB failure is EWBERR.
    expect(first.env.InfoDtls?.[0]?.InfCd).toBe('EWBERR');

    const again = await s.post('/eicore/v1.03/Invoice', inv);
    expect(again.ok).toBe(false);
    expect(again.env.ErrorDetails?.[0]?.ErrorCode).toBe('2150');
    expect((again.env.InfoDtls?.[0]?.Desc as { Irn: string }).Irn).toBe(einvoice.Irn);

    const duplicate = await s.get(`/eicore/v1.03/Invoice/irn/${einvoice.Irn as string}`);
    expect(duplicate.ok && duplicate.data).toEqual(einvoice);
  });

  it('test_get_irn_by_doc_details: doctype=inv and a lower-case docnum find the IRN', async () => {
    const no = uuidDocNo();
    const first = await s.post('/eicore/v1.03/Invoice', mittalInvoice(no, '12/09/2022'));
    expect(first.ok).toBe(true);
    const res = await s.get(
      `/eicore/v1.03/Invoice/irnbydocdetails?doctype=inv&docnum=${no}&docdate=12/09/2022`,
    );
    expect(res.ok && res.data.Irn).toBe(first.ok && first.data.Irn);
  });

  it('test_cancel_e_invoice: cancel with CnlRsn "1" answers a CancelDate', async () => {
    const first = await s.post('/eicore/v1.03/Invoice', mittalInvoice(uuidDocNo(), '12/09/2022'));
    expect(first.ok).toBe(true);
    const res = await s.post('/eicore/v1.03/Invoice/Cancel', {
      Irn: first.ok && first.data.Irn,
      CnlRsn: '1',
      CnlRem: 'Wrong entry',
    });
    expect(res.ok && res.data).toHaveProperty('CancelDate');
  });

  it('test_generate_e_invoice: a buyer built from GSTIN details (to_buyer), Stcd from StateCode, services with EwbDtls', async () => {
    const info = await s.get('/eivital/v1.04/Master/gstin/29AWGPV7107B1Z1');
    const g = (info.ok ? info.data : {}) as Record<string, string | number | null>;
    const inv = mittalInvoice(uuidDocNo(), '12/11/2021');
    inv.SellerDtls = {
      ...inv.SellerDtls,
      LglNm: 'Foobar',
      Addr1: 'foobar',
      Loc: 'foobar',
      Pin: 226001,
      Stcd: '9',
    };
    inv.BuyerDtls = {
      Gstin: String(g.Gstin),
      LglNm: String(g.LegalName),
      Addr1: `${String(g.AddrFlno)}, ${String(g.AddrSt)}`,
      Pos: '29',
      Loc: String(g.AddrLoc),
      Pin: Number(g.AddrPncd),
      Stcd: String(g.StateCode),
    };
    inv.ItemList[0]!.SlNo = '1';
    const res = await s.post('/eicore/v1.03/Invoice', inv);
    expect(res.ok, JSON.stringify(res.env.ErrorDetails)).toBe(true);
    expect(res.ok && res.data).toHaveProperty('Irn');
  });
});

describe("NIC's Java auth sample v1.04", () => {
  it('logs in with lower-case member names and a 128-bit AppKey; the SEK decrypts under AES-128', async () => {
    const appKey = randomBytes(16); // KeyGenerator.getInstance("AES"); gen.init(128)
    const payload = `{"username":"${h.creds.userName}","password":"${h.creds.password}","appkey":"${appKey.toString('base64')}","ForceRefreshAccessToken": true}`;
    const res = await rawRequest(h.creds.baseUrl, 'POST', '/eivital/v1.04/auth', {
      headers: {
        'client-id': h.creds.clientId,
        'client-secret': h.creds.clientSecret,
        gstin: h.creds.gstin,
        KeepAlive: 'true',
        AllowAutoRedirect: 'false',
      },
      body: `{"Data":"${rsa(h.creds.publicKeyPem, Buffer.from(payload).toString('base64'))}"}`,
    });
    const env = res.json as Envelope;
    expect(String(env.Status)).toBe('1'); // objectMapper.readTree(...).get("Status").asText()
    const data = env.Data as { AuthToken: string; Sek: string };
    // decrptBySymmetricKeySEK: AES/ECB/PKCS5Padding under the 16-byte key → the 32-byte SEK.
    const sek = unaes(appKey, Buffer.from(data.Sek, 'base64'));
    expect(sek).toHaveLength(32);
    // And the SEK works: a GSTIN look-up decrypts.
    const got = await rawRequest(h.creds.baseUrl, 'GET', `/eivital/v1.03/Master/gstin/${h.creds.gstin}`, {
      headers: {
        'client-id': h.creds.clientId,
        'client-secret': h.creds.clientSecret,
        gstin: h.creds.gstin,
        user_name: h.creds.userName,
        AuthToken: data.AuthToken,
      },
    });
    const genv = got.json as Envelope;
    expect(genv.Status).toBe(1);
    expect(JSON.parse(unaes(sek, Buffer.from(genv.Data as string, 'base64')).toString())).toMatchObject({
      Gstin: h.creds.gstin,
    });
  });

  it('a key of another length is 1016 naming the length, not "decryption failed" alone', async () => {
    const payload = JSON.stringify({
      UserName: h.creds.userName,
      Password: h.creds.password,
      AppKey: randomBytes(20).toString('base64'),
      ForceRefreshAccessToken: false,
    });
    const res = await rawRequest(h.creds.baseUrl, 'POST', '/eivital/v1.04/auth', {
      headers: { 'client-id': h.creds.clientId, 'client-secret': h.creds.clientSecret, gstin: h.creds.gstin },
      body: JSON.stringify({ Data: rsa(h.creds.publicKeyPem, Buffer.from(payload).toString('base64')) }),
    });
    const env = res.json as Envelope;
    expect(env.ErrorDetails?.[0]?.ErrorCode).toBe('1016');
    expect(env.ErrorDetails?.[0]?.ErrorMessage).toMatch(
      /^Decryption of App Key failed - the AppKey is 20 bytes/,
    );
  });
});

describe('resilient-tech/india-compliance StandardEInvoiceAPI', () => {
  it('logs in with an indented JSON body, AppKey = base64 of a 32-character text, and extra headers', async () => {
    const appKeyText = randomBytes(24).toString('base64'); // 32 characters of stored text
    const appKey = Buffer.from(appKeyText).toString('base64'); // base64.b64encode(app_key.encode())
    // frappe.as_json: indent=1, sorted keys.
    const json = JSON.stringify(
      {
        AppKey: appKey,
        ForceRefreshAccessToken: false,
        Password: h.creds.password,
        UserName: h.creds.userName,
      },
      null,
      1,
    );
    const headers = {
      client_id: h.creds.clientId,
      client_secret: h.creds.clientSecret,
      gstin: h.creds.gstin,
      user_name: h.creds.userName,
      password: h.creds.password,
      requestid: randomBytes(6).toString('hex'),
    };
    const res = await rawRequest(h.creds.baseUrl, 'POST', '/eivital/v1.04/auth', {
      headers,
      body: JSON.stringify({ Data: rsa(h.creds.publicKeyPem, Buffer.from(json).toString('base64')) }),
    });
    const env = res.json as Envelope;
    expect(env.Status).toBe(1);
    const data = env.Data as { AuthToken: string; Sek: string };
    // _decrypt_session_key: aes_decrypt_data(Sek, base64.b64decode(app_key))
    const sek = unaes(Buffer.from(appKey, 'base64'), Buffer.from(data.Sek, 'base64'));
    expect(sek).toHaveLength(32);
    // _encrypt_request: aes_encrypt_data(frappe.as_json(data), session_key) for the next call.
    const inv = mittalInvoice(uuidDocNo(), '12/09/2022');
    inv.SellerDtls.Gstin = h.creds.gstin;
    inv.SellerDtls.Stcd = '02';
    inv.SellerDtls.Pin = 171302;
    const post = await rawRequest(h.creds.baseUrl, 'POST', '/eicore/v1.03/Invoice', {
      headers: { ...headers, AuthToken: data.AuthToken },
      body: JSON.stringify({ Data: aes(sek, Buffer.from(JSON.stringify(inv, null, 1))).toString('base64') }),
    });
    const penv = post.json as Envelope;
    expect(penv.Status, JSON.stringify(penv.ErrorDetails)).toBe(1);
  });
});
