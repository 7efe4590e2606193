import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import {
  certificateThumbprint,
  decodeIrpJwt,
  signIrpJwt,
  verifyIrpJwt,
} from '../../../src/irp/signed-jwt.js';

function selfSignedCertificate(): { privateKey: KeyObject; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2024-01-01');
  cert.validity.notAfter = new Date('2034-01-01');
  cert.setSubject([{ name: 'commonName', value: 'test signer' }]);
  cert.setIssuer([{ name: 'commonName', value: 'test signer' }]);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    forge.md.sha256.create(),
  );
  return { privateKey, certPem: forge.pki.certificateToPem(cert) };
}

const signer = selfSignedCertificate();
const thumbprint = certificateThumbprint(signer.certPem);

describe('certificateThumbprint', () => {
  it('kid is the upper-case hex SHA-1 of the DER certificate and x5t its base64url', () => {
    const sha1 = createHash('sha1').update(new X509Certificate(signer.certPem).raw).digest();
    expect(thumbprint.kid).toBe(sha1.toString('hex').toUpperCase());
    expect(thumbprint.x5t).toBe(sha1.toString('base64url'));
    expect(Buffer.from(thumbprint.x5t, 'base64url').toString('hex').toUpperCase()).toBe(thumbprint.kid);
  });
});

describe('signIrpJwt / verifyIrpJwt', () => {
  it('produces NIC\u2019s header and a payload whose data is a JSON string', async () => {
    const jwt = await signIrpJwt(
      { SellerGstin: '29AAACI1234F1ZK', ItemCnt: 1 },
      signer.privateKey,
      thumbprint.kid,
    );
    const [h, p, s] = jwt.split('.');
    expect(Buffer.from(h!, 'base64url').toString()).toBe(
      JSON.stringify({ alg: 'RS256', kid: thumbprint.kid, typ: 'JWT', x5t: thumbprint.x5t }),
    );
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).toEqual({
      data: '{"SellerGstin":"29AAACI1234F1ZK","ItemCnt":1}',
      iss: 'NIC',
    });
    expect(Buffer.from(s!, 'base64url')).toHaveLength(256);
    const verified = await verifyIrpJwt(jwt, signer.certPem);
    expect(verified.data).toEqual({ SellerGstin: '29AAACI1234F1ZK', ItemCnt: 1 });
    expect(decodeIrpJwt(jwt)).toEqual(verified);
  });

  it('keeps a JSON text as given (number formatting like 1416.0 survives)', async () => {
    const jwt = await signIrpJwt('{"TotInvVal":1416.0}', signer.privateKey, thumbprint);
    expect(decodeIrpJwt(jwt).payload.data).toBe('{"TotInvVal":1416.0}');
  });

  it('rejects a tampered token and a certificate of another signer', async () => {
    const jwt = await signIrpJwt({ a: 1 }, signer.privateKey, thumbprint);
    const [h, , s] = jwt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ data: '{"a":2}', iss: 'NIC' })).toString('base64url')}.${s}`;
    await expect(verifyIrpJwt(forged, signer.certPem)).rejects.toThrow();
    await expect(verifyIrpJwt(jwt, selfSignedCertificate().certPem)).rejects.toThrow(/kid/);
  });

  it('decodes a real NIC sandbox SignedQRCode (2020) without verifying', () => {
    const jwt =
      'eyJhbGciOiJSUzI1NiIsImtpZCI6IjExNUY0NDI2NjE3QTc5MzhCRTFCQTA2REJFRTkxQTQyNzU4NEVEQUIiLCJ0eXAiOiJKV1QiLCJ4NXQiOiJFVjlFSm1GNmVUaS1HNkJ0dnVrYVFuV0U3YXMifQ.eyJkYXRhIjoie1wiU2VsbGVyR3N0aW5cIjpcIjI0QUFGQ0Q1ODYyUjAwNVwiLFwiQnV5ZXJHc3RpblwiOlwiMjlBV0dQVjcxMDdCMVoxXCIsXCJEb2NOb1wiOlwiRE9DLzAwN1wiLFwiRG9jVHlwXCI6XCJJTlZcIixcIkRvY0R0XCI6XCIwOC8wOC8yMDIwXCIsXCJUb3RJbnZWYWxcIjoxMjkwOCxcIkl0ZW1DbnRcIjoxLFwiTWFpbkhzbkNvZGVcIjpcIjEwMDFcIixcIklyblwiOlwiNThmMTY2OWQzMWM1NzI1ZGRjYzM5ZWVlY2Q0NjVlNjk1NDNjNjM5ZGFlYjFkNTgyNTQ2YWEzZDI4ZDY2YzNmOFwifSIsImlzcyI6Ik5JQyJ9.aQYuyV9pQzBaaFQUPJloj76GxEOVZ7xJCy09yxQIaL2gjPu16QcRNGksIlH3LBPFkA1b0wSNbi7e-nek65Pv5JHbyPjt4ihw9Z-YPqyzOdOU26lDP4ci0Ea_B1pSmOIv8itroLf2zVx5w6eUUqNYffI9h_JMF-E_BD0DoLE-axLvl-NM1Xb7kBFMQyzK-Y8AlXQEf_oAOxZcxqR8amJfIrN4mSTbcjcfUxT_16DECTW0Bbm83BFi1jtf_CQX4qZio-4WPCKbo1iZNzD9LXzAd8nt9ErzAqud8pKFWTHo3fVcX7TdfSc19G6PIk7GWy3FeQCvC_sZSkWfOR9eOJowNQ';
    const decoded = decodeIrpJwt(jwt);
    expect(decoded.header).toEqual({
      alg: 'RS256',
      kid: '115F4426617A7938BE1BA06DBEE91A427584EDAB',
      typ: 'JWT',
      x5t: 'EV9EJmF6eTi-G6BtvukaQnWE7as',
    });
    expect(decoded.payload.iss).toBe('NIC');
    expect(decoded.data).toMatchObject({ SellerGstin: '24AAFCD5862R005', DocNo: 'DOC/007', ItemCnt: 1 });
  });
});
