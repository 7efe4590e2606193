/** Test material for the IRP client unit tests: a signing certificate and IRP-style signed JWTs. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { signIrpJwt, certificateThumbprint } from '../../../src/irp/signed-jwt.js';

export interface TestSigner {
  privateKey: KeyObject;
  certPem: string;
  sign(data: object): Promise<string>;
}

export function testSigner(commonName = 'test signer'): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2024-01-01');
  cert.validity.notAfter = new Date('2034-01-01');
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer([{ name: 'commonName', value: commonName }]);
  cert.sign(
    forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    forge.md.sha256.create(),
  );
  const certPem = forge.pki.certificateToPem(cert);
  const thumbprint = certificateThumbprint(certPem);
  return { privateKey, certPem, sign: (data) => signIrpJwt(data, privateKey, thumbprint) };
}
