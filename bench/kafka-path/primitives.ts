/**
 * The primitive operations one invoice needs on the connector's side, each measured alone on this
 * machine in the same run as the pipeline: the floor P1 compares the connector's CPU per invoice with.
 *
 * - avsc binary decode of the event (the median one);
 * - JSON stringify and parse of the IRP invoice;
 * - compiled JSON-schema validation of the invoice (ajv, NIC's schema as published, normalised for
 *   validators: data/irp/schema/einvoice-v1.1.normalized.schema.json);
 * - AES-256-ECB encrypt + decrypt of the invoice JSON (a fresh cipher per call, as a per-request SEK asks);
 * - SHA-256 of the IRN's input;
 * - RS256 verify of a JWT carrying the invoice, twice (SignedInvoice and SignedQRCode, as the issue
 *   counts them: the fresh-IRN path does not verify today, only recovery does);
 * - one HTTP keep-alive POST over undici's Pool to a server in a child process that answers at once
 *   with a body the size of a Generate IRN answer (client CPU only; 16 in flight).
 */
import { fork, type ChildProcess } from 'node:child_process';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import avro from 'avsc';
import { Pool } from 'undici';
import type { AvroSchema } from '../../connectors/types.js';
import { cpuMicros, cpuPerCall, type CpuCost } from './measure.js';

export interface PrimitiveCosts {
  avroDecode: CpuCost;
  jsonStringify: CpuCost;
  jsonParse: CpuCost;
  schemaValidate: CpuCost;
  aesEncryptDecrypt: CpuCost;
  sha256: CpuCost;
  rs256Verify: CpuCost;
  /** Client CPU µs per request (one figure per repeat). */
  httpRequest: CpuCost;
  /** avroDecode + stringify + parse + validate + AES + SHA-256 + 2 × verify + HTTP. */
  totalUs: number;
  sizes: { avroBytes: number; invoiceJsonBytes: number; requestBytes: number; responseBytes: number };
}

const schemaFile = fileURLToPath(
  new URL('../../data/irp/schema/einvoice-v1.1.normalized.schema.json', import.meta.url),
);

/** A compiled validator of NIC's invoice schema (draft-07, as published). */
export function compiledSchemaValidator(): (invoice: unknown) => boolean {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
  const validate = ajv.compile(schema);
  return (invoice) => validate(invoice);
}

function b64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

/** Starts a plain HTTP server in a child process answering every request at once with `bytes` of JSON. */
async function echoServer(bytes: number): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./fixed-answer-server.ts', import.meta.url));
  const child = fork(script, [String(bytes)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`answer server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Client CPU per request over undici's Pool, `inFlight` at a time; median of `repeats` runs. */
async function httpCost(
  requestBody: string,
  responseBytes: number,
  opts: { warmup: number; requests: number; inFlight: number; repeats: number },
): Promise<CpuCost> {
  const { url, child } = await echoServer(responseBytes);
  const pool = new Pool(url, { connections: opts.inFlight, pipelining: 1, keepAliveTimeout: 30_000 });
  const one = async () => {
    const res = await pool.request({
      method: 'POST',
      path: '/eicore/v1.03/Invoice',
      headers: { 'content-type': 'application/json', authtoken: 'x'.repeat(25), user_name: 'bench' },
      body: requestBody,
    });
    await res.body.text();
  };
  const run = async (n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: opts.inFlight }, async () => {
        while (next++ < n) await one();
      }),
    );
  };
  try {
    await run(opts.warmup);
    const perCall: number[] = [];
    for (let r = 0; r < opts.repeats; r++) {
      const t = cpuMicros();
      await run(opts.requests);
      perCall.push((cpuMicros() - t) / opts.requests);
    }
    const sorted = [...perCall].sort((a, b) => a - b);
    return {
      us: sorted[Math.floor(sorted.length / 2)]!,
      min: sorted[0]!,
      max: sorted[sorted.length - 1]!,
      calls: opts.requests * opts.repeats,
    };
  } finally {
    await pool.close();
    child.kill('SIGTERM');
  }
}

/**
 * Measures every primitive on one event: its Avro bytes (`avroBytes`, written with `schema`) and the
 * IRP invoice it maps to.
 */
export async function measurePrimitives(
  schema: AvroSchema,
  avroBytes: Buffer,
  invoice: object,
  opts: { httpRequests?: number; httpRepeats?: number } = {},
): Promise<PrimitiveCosts> {
  const type = avro.Type.forSchema(schema as avro.Schema);
  const avroDecode = cpuPerCall(() => type.fromBuffer(avroBytes));

  const text = JSON.stringify(invoice);
  const jsonStringify = cpuPerCall(() => JSON.stringify(invoice));
  const jsonParse = cpuPerCall(() => JSON.parse(text));

  const validate = compiledSchemaValidator();
  const schemaValidate = cpuPerCall(() => validate(invoice));

  const sek = randomBytes(32);
  const plain = Buffer.from(text);
  const encrypt = (data: Buffer) => {
    const c = createCipheriv('aes-256-ecb', sek, null);
    return Buffer.concat([c.update(data), c.final()]);
  };
  const decrypt = (data: Buffer) => {
    const d = createDecipheriv('aes-256-ecb', sek, null);
    return Buffer.concat([d.update(data), d.final()]);
  };
  const cipherText = encrypt(plain);
  const aesEncryptDecrypt = cpuPerCall(() => decrypt(encrypt(plain)));

  const irnInput = '29AAACB2026E1ZZ/2026-27/INV/9000001234';
  const sha256 = cpuPerCall(() => createHash('sha256').update(irnInput).digest('hex'));

  // A SignedInvoice-shaped JWT: RS256 over {"data": "<invoice JSON>", "iss": "NIC"}.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingInput = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'A'.repeat(40), typ: 'JWT' }))}.${b64url(
    JSON.stringify({ data: text, iss: 'NIC' }),
  )}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey);
  const rs256Verify = cpuPerCall(() => verify('sha256', Buffer.from(signingInput), publicKey, signature));

  // The request carries the encrypted invoice; the answer the encrypted SignedInvoice and more.
  const requestBody = JSON.stringify({ Data: cipherText.toString('base64') });
  const responseBytes = Math.ceil(((signingInput.length + 342 + 900) * 4) / 3) + 200;
  const httpRequest = await httpCost(requestBody, responseBytes, {
    warmup: 3000,
    requests: opts.httpRequests ?? 3000,
    inFlight: 16,
    repeats: opts.httpRepeats ?? 5,
  });

  const totalUs =
    avroDecode.us +
    jsonStringify.us +
    jsonParse.us +
    schemaValidate.us +
    aesEncryptDecrypt.us +
    sha256.us +
    2 * rs256Verify.us +
    httpRequest.us;
  return {
    avroDecode,
    jsonStringify,
    jsonParse,
    schemaValidate,
    aesEncryptDecrypt,
    sha256,
    rs256Verify,
    httpRequest,
    totalUs,
    sizes: {
      avroBytes: avroBytes.length,
      invoiceJsonBytes: plain.length,
      requestBytes: requestBody.length,
      responseBytes,
    },
  };
}
