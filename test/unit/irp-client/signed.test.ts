import { describe, expect, it } from 'vitest';
import {
  createSignedVerifier,
  decodeSigned,
  renderQrPng,
  renderQrSvg,
} from '../../../src/irp/client/signed.js';
import { decodeQrPng } from '../../support/qr-decode.js';
import { testSigner } from './fixtures.js';

const signer = testSigner();
const other = testSigner('another signer');
const qrData = {
  SellerGstin: '02AABCI2026B1ZL',
  BuyerGstin: '29AABCB2026E1Z6',
  DocNo: 'INV/2025/0001',
  DocTyp: 'INV',
  DocDt: '01/07/2025',
  TotInvVal: 1180,
  ItemCnt: 1,
  MainHsnCode: '61149090',
  Irn: 'a'.repeat(64),
  IrnDt: '2025-07-01 10:15:00',
};

describe('createSignedVerifier', () => {
  const verifier = createSignedVerifier(signer.certPem);

  it('verifies RS256 and decodes the payload whose data is a JSON string', async () => {
    const jwt = await signer.sign(qrData);
    const result = await verifier.verify(jwt);
    expect(result).toMatchObject({
      ok: true,
      value: { verified: true, data: qrData, header: { alg: 'RS256' } },
    });
  });

  it('rejects a JWT naming another certificate, and one signed by another key under our kid', async () => {
    expect(await verifier.verify(await other.sign(qrData))).toMatchObject({
      ok: false,
      error: expect.stringContaining('kid'),
    });
    const ours = await signer.sign(qrData);
    const forged = await other.sign({ ...qrData, TotInvVal: 1 });
    const [h] = ours.split('.');
    const [, p, s] = forged.split('.');
    expect(await verifier.verify(`${h}.${p}.${s}`)).toMatchObject({ ok: false });
  });

  it('rejects a tampered payload and garbage', async () => {
    const [h, , s] = (await signer.sign(qrData)).split('.');
    const p = Buffer.from(
      JSON.stringify({ data: JSON.stringify({ ...qrData, TotInvVal: 1 }), iss: 'NIC' }),
    ).toString('base64url');
    expect(await verifier.verify(`${h}.${p}.${s}`)).toMatchObject({ ok: false });
    expect(await verifier.verify('not.a.jwt')).toMatchObject({ ok: false });
  });

  it('decodeSigned reads without verifying (marked verified: false)', async () => {
    expect(decodeSigned(await other.sign(qrData))).toMatchObject({
      ok: true,
      value: { verified: false, data: qrData },
    });
    expect(decodeSigned('x')).toMatchObject({ ok: false });
  });
});

describe('QR rendering', () => {
  it('renders a PNG that decodes back to the exact JWT', async () => {
    const jwt = await signer.sign(qrData);
    const png = await renderQrPng(jwt, { width: 800 });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const decoded = decodeQrPng(png);
    expect(decoded.width).toBeLessThanOrEqual(800);
    expect(decoded.width).toBeGreaterThan(600);
    expect(decoded.text).toBe(jwt);
  });

  it('renders an SVG document for print', async () => {
    const jwt = await signer.sign(qrData);
    const svg = await renderQrSvg(jwt);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('viewBox');
    expect(svg).toContain('<path');
  });
});
