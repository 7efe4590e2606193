/** Issue 15: "IRP responses have no size cap". An answer over the cap is cut off unread, as a transport failure. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BYTES, TransportError, UndiciTransport } from '../../../src/irp/client/http.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(64 * 1024 * 1024) });
      res.write(chunk);
      return; // never finishes: the client must not wait for 64 MB
    }
    if (req.url === '/small') return res.end('{"Status":1}');
    // Chunked, no length: 64 MB unless the reader stops.
    res.writeHead(200, { 'content-type': 'application/json' });
    let sent = 0;
    const more = () => {
      while (sent < 64 && res.write(chunk)) sent++;
      if (sent >= 64) res.end();
      else res.once('drain', more);
    };
    res.on('close', () => (sent = 64));
    more();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const transport = () =>
  new UndiciTransport(base, { connections: 2, keepAliveTimeoutMs: 1000, connectTimeoutMs: 1000 });

describe('IRP response size cap', () => {
  it('a declared or streamed answer over the cap fails as a transport error without being read', async () => {
    expect(MAX_RESPONSE_BYTES).toBe(8 * 1024 * 1024);
    const t = transport();
    for (const path of ['/declared', '/chunked']) {
      const before = process.memoryUsage().rss;
      const error = await t
        .request({ method: 'GET', path, headers: {}, timeoutMs: 5000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ reason: 'network', code: 'IRP_RESPONSE_TOO_LARGE' });
      expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    }
    expect((await t.request({ method: 'GET', path: '/small', headers: {}, timeoutMs: 5000 })).body).toBe(
      '{"Status":1}',
    );
    await t.close();
  });
});
