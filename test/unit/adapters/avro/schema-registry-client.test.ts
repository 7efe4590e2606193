/**
 * The registry client's HTTP behaviour against a node:http server that answers as a registry would,
 * including what a real registry will not do on demand: fail with 5xx, hang, refuse credentials.
 * The integration suite (test/integration/avro) runs the client against a real registry.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SchemaRegistryClient,
  SchemaRegistryError,
} from '../../../../src/adapters/avro/schema-registry-client.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server;
let base: string;
let seen: Seen[];
let handler: Handler;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
  res.end(JSON.stringify(body));
}

beforeEach(async () => {
  seen = [];
  handler = (_req, res) => json(res, 500, { error_code: 50001, message: 'no handler' });
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const SCHEMA = '{"type":"record","name":"A","fields":[{"name":"a","type":"string"}]}';

describe('SchemaRegistryClient.getSchemaById', () => {
  it('GETs {url}/schemas/ids/{id} below the base path and reads schema, type and references', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        schema: SCHEMA,
        references: [{ name: 'x.B', subject: 'b', version: 2 }, { bogus: true }],
      });
    const client = new SchemaRegistryClient({ url: `${base}/apis/ccompat/v7/` });
    const result = await client.getSchemaById(12);
    expect(result).toEqual({
      ok: true,
      schema: {
        id: 12,
        schema: SCHEMA,
        schemaType: 'AVRO',
        references: [{ name: 'x.B', subject: 'b', version: 2 }],
      },
    });
    expect(seen).toMatchObject([
      { method: 'GET', url: '/apis/ccompat/v7/schemas/ids/12', authorization: undefined },
    ]);
    await client.close();
  });

  it('sends basic auth, from the options or from the URL, and never shows the password', async () => {
    handler = (_req, res) => json(res, 200, { schema: SCHEMA });
    const a = new SchemaRegistryClient({ url: base, username: 'svc', password: 'p@ss:word' });
    await a.getSchemaById(1);
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from('svc:p@ss:word').toString('base64')}`);
    const b = new SchemaRegistryClient({ url: `http://user:s%40cret@127.0.0.1:${new URL(base).port}/x` });
    await b.getSchemaById(1);
    expect(seen[1]!.authorization).toBe(`Basic ${Buffer.from('user:s@cret').toString('base64')}`);
    expect(b.url).not.toMatch(/cret/);
    await Promise.all([a.close(), b.close()]);
  });

  it('caches by id and makes concurrent lookups of one id share a single request', async () => {
    handler = (req, res) =>
      setTimeout(
        () => json(res, 200, { schema: SCHEMA.replace('"A"', `"A${req.url.split('/').pop()}"`) }),
        30,
      );
    const client = new SchemaRegistryClient({ url: base });
    const results = await Promise.all([1, 1, 1, 2, 1, 2].map((id) => client.getSchemaById(id)));
    expect(results.every((r) => r.ok)).toBe(true);
    await client.getSchemaById(1);
    expect(seen.map((s) => s.url).sort()).toEqual(['/schemas/ids/1', '/schemas/ids/2']);
    await client.close();
  });

  it('says not-found for the registry’s own 404 (error_code 40403) and does not cache it', async () => {
    handler = (_req, res) => json(res, 404, { error_code: 40403, message: 'Schema 77 not found' });
    const client = new SchemaRegistryClient({ url: base, retryDelayMs: 1 });
    const result = await client.getSchemaById(77);
    expect(result).toMatchObject({ ok: false, reason: 'not-found' });
    if (!result.ok) expect(result.message).toMatch(/Schema 77 not found/);
    await client.getSchemaById(77);
    expect(seen).toHaveLength(2);
    await client.close();
  });

  it('says unavailable (not not-found) for a 404 that is not the registry’s: a wrong base URL', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>Not Found</html>');
    };
    const client = new SchemaRegistryClient({ url: base, retryDelayMs: 1 });
    const result = await client.getSchemaById(1);
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    if (!result.ok) expect(result.message).toMatch(/registry API base/);
    await client.close();
  });

  it('says unauthorized for 401 and 403, without retrying', async () => {
    handler = (_req, res) => json(res, 401, { error_code: 40101, message: 'Unauthorized' });
    const client = new SchemaRegistryClient({ url: base, username: 'u', password: 'wrong', retryDelayMs: 1 });
    expect(await client.getSchemaById(1)).toMatchObject({ ok: false, reason: 'unauthorized' });
    expect(seen).toHaveLength(1);
    await client.close();
  });

  it('retries 5xx a few times and succeeds when the registry recovers', async () => {
    let calls = 0;
    handler = (_req, res) =>
      ++calls < 3
        ? json(res, 503, { error_code: 50301, message: 'starting' })
        : json(res, 200, { schema: SCHEMA });
    const client = new SchemaRegistryClient({ url: base, retries: 2, retryDelayMs: 5 });
    expect(await client.getSchemaById(1)).toMatchObject({ ok: true });
    expect(calls).toBe(3);
    await client.close();
  });

  it('says unavailable after the retries are spent on 5xx', async () => {
    handler = (_req, res) => json(res, 500, { error_code: 50001, message: 'db down' });
    const client = new SchemaRegistryClient({ url: base, retries: 2, retryDelayMs: 1 });
    const result = await client.getSchemaById(1);
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    if (!result.ok) expect(result.message).toMatch(/HTTP 500.*db down/);
    expect(seen).toHaveLength(3);
    await client.close();
  });

  it('gives up on a registry that does not answer within timeoutMs', async () => {
    handler = () => undefined; // never answers
    const client = new SchemaRegistryClient({ url: base, timeoutMs: 100, retries: 1, retryDelayMs: 1 });
    const started = Date.now();
    const result = await client.getSchemaById(1);
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    if (!result.ok) expect(result.message).toMatch(/within 100 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
    await client.close();
  });

  it('says unavailable when nothing listens', async () => {
    const port = (server.address() as AddressInfo).port;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const client = new SchemaRegistryClient({ url: `http://127.0.0.1:${port}`, retries: 1, retryDelayMs: 1 });
    const result = await client.getSchemaById(1);
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    if (!result.ok) expect(result.message).toMatch(/ECONNREFUSED/);
    await client.close();
    server = createServer().listen(0, '127.0.0.1');
  });

  it('says unavailable for a 200 without a schema', async () => {
    handler = (_req, res) => json(res, 200, { nope: 1 });
    const client = new SchemaRegistryClient({ url: base });
    expect(await client.getSchemaById(1)).toMatchObject({ ok: false, reason: 'unavailable' });
    await client.close();
  });
});

describe('SchemaRegistryClient.register', () => {
  it('POSTs the schema to {url}/subjects/{subject}/versions and returns the id', async () => {
    handler = (_req, res) => json(res, 200, { id: 21 });
    const client = new SchemaRegistryClient({ url: base });
    const id = await client.register('orders/v1-value', JSON.parse(SCHEMA) as object);
    expect(id).toBe(21);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/subjects/orders%2Fv1-value/versions',
      contentType: 'application/vnd.schemaregistry.v1+json',
    });
    expect(JSON.parse(seen[0]!.body)).toEqual({ schema: SCHEMA });
    // The id is known now: a lookup needs no request.
    expect(await client.getSchemaById(21)).toMatchObject({ ok: true, schema: { id: 21, schema: SCHEMA } });
    expect(seen).toHaveLength(1);
    await client.close();
  });

  it('throws SchemaRegistryError with the registry’s error code when it refuses', async () => {
    handler = (_req, res) =>
      json(res, 409, { error_code: 409, message: 'Schema being registered is incompatible' });
    const client = new SchemaRegistryClient({ url: base });
    const error = await client.register('s', SCHEMA).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ status: 409, errorCode: 409 });
    expect((error as Error).message).toMatch(/incompatible/);
    await client.close();
  });
});
