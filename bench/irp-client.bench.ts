/**
 * Benchmark: CPU per request and throughput of the IRP client against the sandbox over loopback.
 *
 * Method
 * - The sandbox runs in a child process (`bin/irp-bridge.mjs sandbox --port 0 --db :memory:`), so the
 *   CPU measured here — `process.cpuUsage()` of this process, user + system — is the client's alone:
 *   JSON, AES-256-ECB of request and response, envelope parsing, io-ts decoding, session, retry,
 *   breaker, bulkhead, and the HTTP stack.
 * - One client per variant. Every variant is warmed up (`WARMUP` calls: JIT, sockets, login) before
 *   any is measured — a few hundred calls are not enough, CPU per call keeps falling for thousands —
 *   then `N` calls per variant run with `CONCURRENCY` in flight. Generate IRN uses a new document number per call
 *   (no 2150); Get GSTIN details is a light GET whose server side is cheap, so it shows the client's
 *   own ceiling better.
 * - Variants differ only in the HTTP adapter behind the client's `HttpTransport` port: the default
 *   undici Pool, and node's global fetch (undici's fetch layer, a new AbortSignal per request).
 * - Reported: requests/s (wall clock), client CPU µs/request, p50/p99 latency, and the fetch/Pool
 *   CPU ratio. Loopback on a shared machine: compare variants within one run, not across machines.
 *
 * Run: `node --import tsx bench/irp-client.bench.ts [N] [CONCURRENCY] [WARMUP]` (defaults 5000, 16, 3000).
 */
import { formatIrpDate } from '../src/irp/dates.js';
import { startSandboxProcess } from './support.js';
import { createIrpClient, type IrpClient } from '../src/irp/client/index.js';
import {
  TransportError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from '../src/irp/client/http.js';

const N = Number(process.argv[2] ?? 5000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const WARMUP = Number(process.argv[4] ?? 3000);

/** The baseline adapter: node's global fetch behind the same port. */
class FetchTransport implements HttpTransport {
  constructor(private readonly baseUrl: string) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    try {
      const res = await fetch(this.baseUrl + req.path, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.timeout(req.timeoutMs),
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => (headers[key] = value));
      return { status: res.status, headers, body: await res.text() };
    } catch (error) {
      throw new TransportError('network', error instanceof Error ? error.message : String(error));
    }
  }

  async close(): Promise<void> {}
}

let docCounter = 0;
function invoice(seller: string) {
  docCounter += 1;
  const amount = 1000;
  return {
    Version: '1.1',
    TranDtls: { TaxSch: 'GST', SupTyp: 'B2B' },
    DocDtls: {
      Typ: 'INV',
      No: `B${process.pid.toString(36)}${docCounter.toString(36)}`.toUpperCase().slice(0, 16),
      Dt: formatIrpDate(new Date()),
    },
    SellerDtls: {
      Gstin: seller,
      LglNm: 'Bench Seller',
      Addr1: '12 Mall Road',
      Loc: 'Shimla',
      Pin: 171001,
      Stcd: '02',
    },
    BuyerDtls: {
      Gstin: '29AABCB2026E1Z6',
      LglNm: 'Bench Buyer',
      Pos: '29',
      Addr1: '100 MG Road',
      Loc: 'Bengaluru',
      Pin: 560001,
      Stcd: '29',
    },
    ItemList: [
      {
        SlNo: '1',
        IsServc: 'N',
        HsnCd: '61149090',
        Qty: 10,
        Unit: 'NOS',
        UnitPrice: 100,
        TotAmt: amount,
        AssAmt: amount,
        GstRt: 18,
        IgstAmt: 180,
        TotItemVal: 1180,
      },
    ],
    ValDtls: { AssVal: amount, IgstVal: 180, CgstVal: 0, SgstVal: 0, TotInvVal: 1180 },
  };
}

interface Result {
  variant: string;
  api: string;
  rps: number;
  cpuUsPerReq: number;
  p50: number;
  p99: number;
}

async function runCalls(
  label: string,
  count: number,
  call: () => Promise<{ kind: string }>,
  latencies?: number[],
): Promise<void> {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const t0 = performance.now();
      const outcome = await call();
      latencies?.push(performance.now() - t0);
      if (outcome.kind !== 'success') failures += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (failures > 0) throw new Error(`${label}: ${failures} calls did not succeed`);
}

async function measure(variant: string, api: string, call: () => Promise<{ kind: string }>): Promise<Result> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runCalls(`${variant} ${api}`, N, call, latencies);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return {
    variant,
    api,
    rps: N / (wallMs / 1000),
    cpuUsPerReq: (cpu.user + cpu.system) / N,
    p50: latencies[Math.floor(N * 0.5)]!,
    p99: latencies[Math.floor(N * 0.99)]!,
  };
}

async function main(): Promise<void> {
  const { credentials: c, stop } = await startSandboxProcess();
  const config = {
    baseUrl: c.baseUrl,
    publicKeyPem: c.publicKeyPem,
    credentials: [
      {
        gstin: c.gstin,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        userName: c.userName,
        password: c.password,
      },
    ],
    concurrency: { perGstin: CONCURRENCY, connections: CONCURRENCY },
  };
  const results: Result[] = [];
  const variants: [string, IrpClient][] = [
    ['undici Pool', createIrpClient(config)],
    ['node fetch', createIrpClient(config, { transport: new FetchTransport(c.baseUrl) })],
  ];
  const apis: [string, (client: IrpClient) => Promise<{ kind: string }>][] = [
    ['generate IRN', (client) => client.generateIrn(invoice(c.gstin))],
    ['GSTIN details', (client) => client.gstinDetails(c.gstin, c.gstin)],
  ];
  try {
    for (const [api, call] of apis) {
      for (const [variant, client] of variants)
        await runCalls(`${variant} ${api} warm-up`, WARMUP, () => call(client));
      for (const [variant, client] of variants) results.push(await measure(variant, api, () => call(client)));
    }
  } finally {
    await Promise.all(variants.map(([, client]) => client.close()));
    await stop();
  }

  console.log(`IRP client over loopback: N=${N}, concurrency=${CONCURRENCY}, node ${process.version}`);
  console.log('variant       api            req/s   client CPU µs/req   p50 ms   p99 ms');
  for (const r of results) {
    console.log(
      `${r.variant.padEnd(13)} ${r.api.padEnd(13)} ${r.rps.toFixed(0).padStart(6)}   ${r.cpuUsPerReq.toFixed(0).padStart(17)}   ${r.p50.toFixed(2).padStart(6)}   ${r.p99.toFixed(2).padStart(6)}`,
    );
  }
  for (const api of ['generate IRN', 'GSTIN details']) {
    const pool = results.find((r) => r.api === api && r.variant === 'undici Pool')!;
    const fetchR = results.find((r) => r.api === api && r.variant === 'node fetch')!;
    console.log(
      `${api}: fetch/Pool CPU per request ${(fetchR.cpuUsPerReq / pool.cpuUsPerReq).toFixed(2)}×, req/s ${(pool.rps / fetchR.rps).toFixed(2)}× in favour of the Pool`,
    );
  }
}

await main();
