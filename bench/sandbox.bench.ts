/**
 * Benchmark: the IRP sandbox as a load-testing target — Generate IRN throughput, login latency under
 * concurrency, and how much a storm of logins slows the generates served at the same time.
 *
 * Method
 * - The sandbox runs in a child process (`bin/irp-bridge.mjs sandbox --port 0 --db :memory:
 *   --rate-limit 100000`), so this process is only the load generator: a minimal client on
 *   src/irp/crypto.ts (RSA login, AES payloads) over node's fetch on loopback, keep-alive.
 * - Two sandbox variants, started one after the other: the default RSA worker pool (one worker per
 *   core, `os.availableParallelism()`), and `--rsa-workers 1`.
 * - Per variant, after a warm-up of `WARMUP` generates and 20 logins:
 *   1. generates: `N` Generate IRN calls (each a new document number, NIC's b2b-inter-state sample from
 *      the demo seller) at 1 and at 16 in flight → requests/s (wall clock), p50 and p95 latency;
 *   2. logins: `LOGINS` auth v1.04 calls, 50 in flight → logins/s, p50 and p95;
 *   3. stall: generates at 4 in flight while the login storm of (2) runs → their p95, divided by the
 *      p95 of generates at 4 in flight alone ("stall ratio"; 1.0 = logins do not slow generates).
 * - Before the variants, the RSA private operation of one login is timed in this process, `RSA_OPS`
 *   times each: node-forge's JavaScript PKCS#1 v1.5 (what ran on the event loop before) against the
 *   native raw RSA plus unpadding the sandbox now runs in its workers (src/irp/crypto.ts).
 * - Printed: a table per variant and the ratios pool/1-worker for login throughput. A 2-core machine
 *   shared with other work: compare numbers within one run, not across machines or runs.
 *
 * Run: `node --import tsx bench/sandbox.bench.ts [N] [LOGINS] [WARMUP]` (defaults 2000, 400, 500).
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import forge from 'node-forge';
import {
  buildAuthPayloadV104,
  createRsaPkcs1Decrypter,
  decryptSek,
  encryptJsonPayload,
  generateAppKey,
  rsaEncryptPkcs1,
} from '../src/irp/crypto.js';
import { formatIrpDate } from '../src/irp/dates.js';
import { startSandboxProcess, type Credentials } from './support.js';

const N = Number(process.argv[2] ?? 2000);
const LOGINS = Number(process.argv[3] ?? 400);
const WARMUP = Number(process.argv[4] ?? 500);

const SAMPLE = JSON.parse(
  readFileSync(new URL('../data/irp/samples/b2b-inter-state.request.json', import.meta.url), 'utf8'),
) as Record<string, Record<string, unknown>>;

let serial = 0;

class LoadClient {
  token = '';
  sek: Buffer = Buffer.alloc(0);
  constructor(readonly c: Credentials) {}

  private clientHeaders(): Record<string, string> {
    return {
      'content-type': 'application/json',
      client_id: this.c.clientId,
      client_secret: this.c.clientSecret,
      Gstin: this.c.gstin,
    };
  }

  async login(): Promise<void> {
    const appKey = generateAppKey();
    const body = buildAuthPayloadV104(
      { userName: this.c.userName, password: this.c.password, appKey, forceRefreshAccessToken: false },
      this.c.publicKeyPem,
    );
    const res = await fetch(`${this.c.baseUrl}/eivital/v1.04/auth`, {
      method: 'POST',
      headers: this.clientHeaders(),
      body: JSON.stringify(body),
    });
    const env = (await res.json()) as { Status: number; Data: { AuthToken: string; Sek: string } };
    if (env.Status !== 1) throw new Error(`login failed: ${JSON.stringify(env)}`);
    this.token = env.Data.AuthToken;
    this.sek = decryptSek(env.Data.Sek, appKey);
  }

  async generate(): Promise<void> {
    serial += 1;
    const inv = {
      ...SAMPLE,
      SellerDtls: { ...SAMPLE.SellerDtls, Gstin: this.c.gstin },
      DocDtls: { Typ: 'INV', No: `B${process.pid % 1000}X${serial}`, Dt: formatIrpDate(new Date()) },
    };
    const res = await fetch(`${this.c.baseUrl}/eicore/v1.03/Invoice`, {
      method: 'POST',
      headers: { ...this.clientHeaders(), user_name: this.c.userName, AuthToken: this.token },
      body: JSON.stringify({ Data: encryptJsonPayload(this.sek, inv) }),
    });
    const env = (await res.json()) as { Status: number; ErrorDetails: unknown };
    if (env.Status !== 1) throw new Error(`generate failed: ${JSON.stringify(env.ErrorDetails)}`);
  }
}

interface Run {
  perSecond: number;
  p50: number;
  p95: number;
}

const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Runs `count` calls of `call` with `inFlight` at a time (or until `until` resolves, if given). */
async function load(
  call: () => Promise<void>,
  count: number,
  inFlight: number,
  until?: Promise<unknown>,
): Promise<Run> {
  const latencies: number[] = [];
  let started = 0;
  let stop = false;
  void until?.then(() => (stop = true));
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (!stop && (until ? true : started < count)) {
        started += 1;
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: pct(latencies, 0.5), p95: pct(latencies, 0.95) };
}

async function variant(name: string, args: string[]) {
  const sandbox = await startSandboxProcess(['--rate-limit', '100000', ...args]);
  try {
    const client = new LoadClient(sandbox.credentials);
    for (let i = 0; i < 20; i++) await client.login();
    await load(() => client.generate(), WARMUP, 8);
    const seq = await load(() => client.generate(), N, 1);
    const par = await load(() => client.generate(), N, 16);
    const alone4 = await load(() => client.generate(), Math.max(400, N / 4), 4);
    const loginClient = new LoadClient(sandbox.credentials);
    const logins = load(() => loginClient.login(), LOGINS, 50);
    const during = await load(() => client.generate(), 0, 4, logins);
    const loginRun = await logins;
    return { name, seq, par, alone4, during, loginRun };
  } finally {
    await sandbox.stop();
  }
}

const fmt = (r: Run) =>
  `${r.perSecond.toFixed(0).padStart(6)}/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms`;

const RSA_OPS = 200;

function timeRsa(): { forgeMs: number; nativeMs: number } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const ct = rsaEncryptPkcs1(publicKey, 'x'.repeat(200));
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  const native = createRsaPkcs1Decrypter(privateKey);
  const time = (f: () => void) => {
    for (let i = 0; i < 20; i++) f();
    const t = performance.now();
    for (let i = 0; i < RSA_OPS; i++) f();
    return (performance.now() - t) / RSA_OPS;
  };
  return {
    forgeMs: time(() => forgeKey.decrypt(ct.toString('binary'), 'RSAES-PKCS1-V1_5')),
    nativeMs: time(() => native(ct)),
  };
}

const cores = availableParallelism();
console.log(
  `sandbox bench: N=${N} generates, ${LOGINS} logins (50 in flight), ${cores} cores, load average ${loadavg()[0]!.toFixed(1)}, Node ${process.version}`,
);
const rsa = timeRsa();
console.log(
  `RSA private operation per login: node-forge ${rsa.forgeMs.toFixed(2)} ms, native ${rsa.nativeMs.toFixed(2)} ms ` +
    `(forge/native ${(rsa.forgeMs / rsa.nativeMs).toFixed(1)}×)`,
);
const results = [
  await variant(`RSA pool (${cores} workers)`, []),
  await variant('RSA pool (1 worker)', ['--rsa-workers', '1']),
];
for (const r of results) {
  console.log(`\n${r.name}`);
  console.log(`  generate, 1 in flight     ${fmt(r.seq)}`);
  console.log(`  generate, 16 in flight    ${fmt(r.par)}`);
  console.log(`  login, 50 in flight       ${fmt(r.loginRun)}`);
  console.log(`  generate, 4 in flight     ${fmt(r.alone4)}`);
  console.log(`  … during the login storm  ${fmt(r.during)}`);
  console.log(`  stall ratio (p95 during / alone)  ${(r.during.p95 / r.alone4.p95).toFixed(2)}`);
}
console.log(`load average at the end: ${loadavg()[0]!.toFixed(1)}`);
const [pool, one] = results as [(typeof results)[0], (typeof results)[0]];
console.log(
  `\nratios pool/1-worker: logins/s ${(pool.loginRun.perSecond / one.loginRun.perSecond).toFixed(2)}, ` +
    `login p95 ${(pool.loginRun.p95 / one.loginRun.p95).toFixed(2)}, generates/s (16 in flight) ${(pool.par.perSecond / one.par.perSecond).toFixed(2)}`,
);
