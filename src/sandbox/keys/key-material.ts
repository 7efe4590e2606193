/**
 * The sandbox's two RSA-2048 keys, as NIC keeps them apart (README §3, §6):
 * - the encryption key pair, whose public half clients download and encrypt their login with;
 * - the signing key, with a self-signed X.509 certificate, that signs SignedInvoice/SignedQRCode.
 * Both are created on first start and kept in the database, so a restart keeps every earlier
 * signature verifiable and every downloaded public key valid.
 */
import { createPrivateKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { RsaPkcs1Decrypter } from '../../irp/crypto.js';
import { certificateThumbprint, type CertificateThumbprint } from '../../irp/signed-jwt.js';
import type { KeysRepository, StoredKeyMaterial } from '../store/keys-repo.js';
import { RsaDecryptPool } from './rsa-pool.js';

const generateRsaKeyPair = promisify(generateKeyPair);

export interface SandboxKeys {
  encryptionPublicKeyPem: string;
  /** PKCS#1 v1.5 decryption with the encryption private key (auth payloads), in a worker pool. */
  decryptPkcs1: RsaPkcs1Decrypter;
  /** Ends the RSA workers. */
  close(): Promise<void>;
  signingCertificatePem: string;
  signingKey: KeyObject;
  signingThumbprint: CertificateThumbprint;
}

async function newRsaPair(): Promise<{ publicKeyPem: string; privateKeyPem: string }> {
  // Node generates the key natively (fast); forge is used only to make the certificate.
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

interface CertificateSpec {
  subject: { name: string; value: string }[];
  extensions: object[];
  validDays: number;
}

function selfSignedCertificate(
  publicKeyPem: string,
  privateKeyPem: string,
  now: Date,
  spec: CertificateSpec = SIGNING_CERTIFICATE,
): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // A positive serial: a leading 0x00..0x7f byte keeps the DER INTEGER non-negative.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + spec.validDays * 24 * 60 * 60 * 1000);
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.subject);
  cert.setExtensions(spec.extensions);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  // forge writes CRLF line ends; the rest of the PEMs (and the credentials file) use LF.
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

const SIGNING_CERTIFICATE: CertificateSpec = {
  subject: [
    { name: 'commonName', value: 'irp-bridge sandbox e-invoice signer' },
    { name: 'organizationName', value: 'irp-bridge sandbox (not NIC)' },
    { name: 'countryName', value: 'IN' },
  ],
  extensions: [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ],
  validDays: 10 * 365,
};

const TLS_CERTIFICATE: CertificateSpec = {
  subject: [
    { name: 'commonName', value: 'localhost' },
    { name: 'organizationName', value: 'irp-bridge sandbox (not NIC)' },
  ],
  extensions: [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ],
  validDays: 825,
};

async function ensure(
  repo: KeysRepository,
  purpose: 'encryption' | 'signing',
  now: Date,
): Promise<StoredKeyMaterial> {
  const stored = repo.find(purpose);
  if (stored) return stored;
  const pair = await newRsaPair();
  const certificatePem =
    purpose === 'signing' ? selfSignedCertificate(pair.publicKeyPem, pair.privateKeyPem, now) : null;
  return repo.insertIfAbsent({ purpose, ...pair, certificatePem }, now.getTime());
}

/** Loads the keys from the database, creating whichever is missing. */
export async function loadOrCreateKeys(
  repo: KeysRepository,
  now: Date,
  rsaWorkers?: number,
): Promise<SandboxKeys> {
  const [encryption, signing] = await Promise.all([
    ensure(repo, 'encryption', now),
    ensure(repo, 'signing', now),
  ]);
  const certificatePem = signing.certificatePem;
  if (!certificatePem) throw new Error('sandbox signing key has no certificate in the database');
  const pool = new RsaDecryptPool(encryption.privateKeyPem, rsaWorkers);
  return {
    encryptionPublicKeyPem: encryption.publicKeyPem,
    decryptPkcs1: pool.decrypt,
    close: () => pool.close(),
    signingCertificatePem: certificatePem,
    signingKey: createPrivateKey(signing.privateKeyPem),
    signingThumbprint: certificateThumbprint(certificatePem),
  };
}

/**
 * A self-signed TLS certificate for `https://localhost` / `127.0.0.1` / `::1` (the sandbox's `--tls`
 * without a certificate of one's own). Clients trust it by its PEM, which the credentials file carries.
 */
export async function selfSignedTlsPair(now: Date): Promise<{ certPem: string; keyPem: string }> {
  const pair = await newRsaPair();
  return {
    certPem: selfSignedCertificate(pair.publicKeyPem, pair.privateKeyPem, now, TLS_CERTIFICATE),
    keyPem: pair.privateKeyPem,
  };
}
