// A plain HTTP server (benchmark only) that reads each request and answers at once with a fixed JSON body
// of argv[2] bytes; it tells its parent the port over IPC. Used to price one keep-alive request.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const bytes = Number(process.argv[2] ?? 8192);
const body = Buffer.from(JSON.stringify({ Status: 1, Data: 'A'.repeat(Math.max(0, bytes - 24)) }));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));
