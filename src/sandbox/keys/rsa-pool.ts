/**
 * RSA decryption of logins off the event loop: a pool of worker threads, one per core by default, each
 * holding the sandbox's encryption private key. A login's private-key operation (a few milliseconds
 * natively, ~28 ms in node-forge before) then never stalls the Generate IRN calls being served on the
 * main thread, and logins use every core.
 *
 * The worker is evaluated from source text (so it runs the same from the TypeScript sources under tsx or
 * vitest and from the compiled dist/); it runs `unpadPkcs1v15` from src/irp/crypto.ts by its own source.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IrpCryptoError, unpadPkcs1v15 } from '../../irp/crypto.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, privateDecrypt, constants } = require('node:crypto');
const unpad = ${unpadPkcs1v15.toString()};
const key = createPrivateKey(workerData.privateKeyPem);
parentPort.on('message', ({ id, ciphertext }) => {
  let message;
  try {
    message = unpad(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.from(ciphertext)));
  } catch {
    message = undefined;
  }
  parentPort.postMessage({ id, message: message ? Buffer.from(message) : null });
});
`;

interface Pending {
  resolve: (value: Buffer) => void;
  reject: (err: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  jobs: Set<number>;
}

/** At most this many decryptions wait for a worker; more are refused (the caller answers "busy"). */
export const RSA_QUEUE_LIMIT = 4096;

export class RsaDecryptPool {
  private readonly workers: PoolWorker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly privateKeyPem: string,
    readonly size: number = Math.max(1, availableParallelism()),
  ) {}

  /** How many decryptions are queued or running. */
  get backlog(): number {
    return this.pending.size;
  }

  /** PKCS#1 v1.5 decryption; rejects with IrpCryptoError('rsa') for a block that does not decrypt. */
  decrypt = (ciphertext: Buffer): Promise<Buffer> => {
    if (this.closed) return Promise.reject(new Error('RSA pool is closed'));
    if (this.pending.size >= RSA_QUEUE_LIMIT) return Promise.reject(new RsaPoolBusyError());
    const target = this.leastBusy();
    const id = this.nextId++;
    target.jobs.add(id);
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      target.worker.postMessage({ id, ciphertext });
    });
  };

  private leastBusy(): PoolWorker {
    const idle = this.workers.find((w) => w.jobs.size === 0);
    if (idle) return idle;
    if (this.workers.length < this.size) return this.spawn();
    return this.workers.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  private spawn(): PoolWorker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { privateKeyPem: this.privateKeyPem },
    });
    worker.unref(); // never what keeps a process alive; close() ends them
    const entry: PoolWorker = { worker, jobs: new Set() };
    worker.on('message', ({ id, message }: { id: number; message: Uint8Array | null }) => {
      entry.jobs.delete(id);
      const job = this.pending.get(id);
      if (!job) return;
      this.pending.delete(id);
      if (message) job.resolve(Buffer.from(message));
      else
        job.reject(new IrpCryptoError('rsa', 'RSA decryption failed (wrong public key or corrupted data)'));
    });
    const retire = (err: Error) => {
      const at = this.workers.indexOf(entry);
      if (at >= 0) this.workers.splice(at, 1);
      for (const id of entry.jobs) {
        this.pending.get(id)?.reject(err);
        this.pending.delete(id);
      }
      entry.jobs.clear();
    };
    worker.on('error', retire);
    worker.on('exit', () => retire(new Error('RSA worker exited')));
    this.workers.push(entry);
    return entry;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.worker.terminate()));
    this.workers.length = 0;
  }
}

/** More logins are waiting for RSA than the pool queues. */
export class RsaPoolBusyError extends Error {
  constructor() {
    super('too many logins are waiting for RSA decryption');
    this.name = 'RsaPoolBusyError';
  }
}
