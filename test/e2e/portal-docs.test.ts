/**
 * The API documentation: every route of the server is documented (and nothing else is), every code it
 * names is in the catalogue, the OpenAPI 3.1 document passes a real OpenAPI validator, the request
 * samples decode with the codecs, tables are searchable, and the curl recipe on the pages really
 * logs in and generates an IRN (bash, openssl, curl and jq against the running sandbox).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { isRight } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupErrorCode } from '../../src/irp/errors.js';
import { irpRoutes, type IrpServices } from '../../src/sandbox/http/irp-routes.js';
import { apiDocs, documentedRouteKeys } from '../../src/sandbox/portal/docs/api-docs.js';
import { curlSample } from '../../src/sandbox/portal/pages/docs-pages.js';
import { invoice } from '../integration/sandbox/harness.js';
import { FormClient } from './support/form-client.js';
import { startPortalHarness, type PortalHarness } from './support/portal-harness.js';

const run = promisify(execFile);
const routes = irpRoutes({} as IrpServices);

let h: PortalHarness;
beforeAll(async () => {
  h = await startPortalHarness();
});
afterAll(() => h?.close());

describe('API documentation', () => {
  it('documents every route of the server, and only those', async () => {
    expect(documentedRouteKeys().sort()).toEqual(routes.map((r) => `${r.method} ${r.paths[0]}`).sort());
    const docs = apiDocs(routes);
    const browser = new FormClient(h.baseUrl);
    const index = await browser.get('/docs');
    const openapi = (await (await fetch(`${h.baseUrl}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const route of routes) {
      const doc = docs.find((d) => d.paths === route.paths)!;
      expect(index.text).toContain(`href="/docs/api/${doc.slug}"`);
      const page = await browser.get(`/docs/api/${doc.slug}`);
      expect(page.status).toBe(200);
      for (const path of route.paths) {
        expect(page.text).toContain(`${h.baseUrl}${path}`);
        const oaPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
        expect(
          openapi.paths[oaPath]?.[route.method.toLowerCase()],
          `${route.method} ${oaPath}`,
        ).toBeDefined();
      }
      for (const section of ['id="headers"', 'id="errors"', 'id="curl"', 'id="typescript"'])
        expect(page.text).toContain(section);
      for (const e of doc.errors) expect(page.text).toContain(`href="/docs/errors#E${e.code}"`);
    }
  });

  it('names only catalogued error codes, and the catalogue page links back', async () => {
    for (const doc of apiDocs(routes))
      for (const e of doc.errors) expect(lookupErrorCode(e.code), `${doc.slug}: ${e.code}`).toBeDefined();
    const errors = await new FormClient(h.baseUrl).get('/docs/errors');
    expect(errors.text).toContain('id="E2150"');
    expect(errors.text).toMatch(/id="E2150">[\s\S]*?href="\/docs\/api\/generate-irn#errors"/);
  });

  it('has request samples that decode with the documented codecs', () => {
    for (const doc of apiDocs(routes)) {
      if (!doc.request) continue;
      const decoded = doc.request.codec.decode(doc.request.sample);
      expect(isRight(decoded), doc.slug).toBe(true);
    }
  });

  it('serves an OpenAPI 3.1 document that the validator accepts', async () => {
    const document = (await (await fetch(`${h.baseUrl}/docs/openapi.json`)).json()) as Record<
      string,
      unknown
    >;
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('searches the error catalogue and the master tables, without script', async () => {
    const browser = new FormClient(h.baseUrl);
    const errors = await browser.get('/docs/errors?q=duplicate%20irn');
    expect(errors.text).toContain('id="E2150"');
    expect(errors.text).not.toContain('id="E1005"');
    const masters = await browser.get('/docs/masters?q=karnataka');
    expect(masters.text).toMatch(/<td>29<\/td><td>Karnataka<\/td>/);
    expect(masters.text).not.toMatch(/<td>Kerala<\/td>/);
    const ports = await browser.get('/docs/masters?q=INNSA1');
    expect(ports.text).toContain('<td>INNSA1</td>');
  });

  it('serves NIC\u2019s schema and the generated one', async () => {
    const nic = await (await fetch(`${h.baseUrl}/docs/einvoice-v1.1.schema.json`)).json();
    expect(JSON.stringify(nic)).toContain('SellerDtls');
    const own = (await (await fetch(`${h.baseUrl}/docs/invoice.schema.json`)).json()) as {
      $defs: Record<string, { properties: Record<string, unknown> }>;
    };
    expect(own.$defs.SellerDtls?.properties.Gstin).toEqual({
      type: 'string',
      minLength: 15,
      maxLength: 15,
      pattern: '^([0-9]{2}[0-9A-Z]{13})$',
    });
  });

  it('has a curl recipe that really logs in and generates an IRN', async () => {
    const docs = apiDocs(routes);
    const dir = mkdtempSync(join(tmpdir(), 'irp-curl-'));
    try {
      const c = h.sandbox.credentials;
      writeFileSync(join(dir, 'public-key.pem'), c.publicKeyPem);
      writeFileSync(join(dir, 'payload.json'), JSON.stringify(invoice({ seller: c.gstin })));
      const script = [
        'set -euo pipefail',
        curlSample(
          docs.find((d) => d.slug === 'auth-v1-04')!,
          h.baseUrl,
        ),
        curlSample(
          docs.find((d) => d.slug === 'generate-irn')!,
          h.baseUrl,
        ),
      ].join('\n');
      const { stdout } = await run('bash', ['-c', script], {
        cwd: dir,
        env: {
          ...process.env,
          CLIENT_ID: c.clientId,
          CLIENT_SECRET: c.clientSecret,
          USER_NAME: c.userName,
          PASSWORD: c.password,
          GSTIN: c.gstin,
        },
      });
      const data = JSON.parse(stdout) as { Irn: string; AckNo: number };
      expect(data.Irn).toMatch(/^[0-9a-f]{64}$/);
      expect(data.AckNo).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
