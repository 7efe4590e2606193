/**
 * The documentation's routes on the portal: pages, the OpenAPI document, the schemas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVersion, projectRoot } from '../../../cli/paths.js';
import { allErrorCodes } from '../../../irp/errors.js';
import { InvoiceCodec } from '../../../irp/schema/invoice.js';
import type { IrpRoute } from '../../http/irp-routes.js';
import { html } from '../html.js';
import { messagePage } from '../pages/account-pages.js';
import {
  apiPage,
  docsIndexPage,
  errorsPage,
  mastersPage,
  schemaPage,
  type MasterTable,
} from '../pages/docs-pages.js';
import type { Portal } from '../portal.js';
import { apiDocs, type ApiDoc } from './api-docs.js';
import { newSchemaContext, toJsonSchema, type JsonSchema } from './json-schema.js';
import { openApiDocument } from './openapi.js';

function readTsv(file: string): string[][] {
  const text = readFileSync(join(projectRoot(), 'data', 'irp', 'masters', file), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));
}

/** The master tables the validator uses, for display (from the same TSVs the generated code comes from). */
export function masterTables(): MasterTable[] {
  const table = (
    id: string,
    title: string,
    file: string,
    columns: string[],
    pick: (r: string[]) => string[],
  ) => {
    const [, ...rows] = readTsv(file);
    return { id, title, columns, rows: rows.map(pick) };
  };
  return [
    table('states', 'States', 'states.tsv', ['Code', 'State'], (r) => [r[0]!, r[1]!]),
    table('units', 'Units (UQC)', 'uqc.tsv', ['Code', 'Description'], (r) => [r[0]!, r[1]!]),
    table('currencies', 'Currencies', 'currencies.tsv', ['Code', 'Currency'], (r) => [r[0]!, r[1]!]),
    table('ports', 'Ports', 'ports.tsv', ['Code', 'Port'], (r) => [r[0]!, r[1]!]),
    table('gst-rates', 'GST rates', 'gst-rates.tsv', ['Rate %', 'Notes'], (r) => [r[0]!, r[1] ?? '']),
    table('codes', 'Other codes', 'codes.tsv', ['Field', 'Code', 'Meaning'], (r) => [r[0]!, r[1]!, r[2]!]),
  ];
}

export interface DocsModel {
  docs: ApiDoc[];
  schemas: Map<string, { request?: JsonSchema; response?: JsonSchema }>;
  definitions: Map<string, JsonSchema>;
  invoice: JsonSchema;
}

export function docsModel(routes: readonly IrpRoute[]): DocsModel {
  const docs = apiDocs(routes);
  const ctx = newSchemaContext();
  const schemas = new Map(
    docs.map((d) => [
      d.slug,
      {
        request: d.request ? toJsonSchema(d.request.codec, ctx) : undefined,
        response: d.response ? toJsonSchema(d.response.codec, ctx) : undefined,
      },
    ]),
  );
  return { docs, schemas, definitions: ctx.definitions, invoice: toJsonSchema(InvoiceCodec, ctx) };
}

/** The invoice schema as a standalone JSON Schema document (definitions under `$defs`). */
export function standaloneInvoiceSchema(): JsonSchema {
  const ctx = newSchemaContext('#/$defs/');
  const root = toJsonSchema(InvoiceCodec, ctx);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'IRP e-invoice v1.1 as the irp-bridge sandbox enforces it',
    ...root,
    $defs: Object.fromEntries(ctx.definitions),
  };
}

export function addDocsRoutes(portal: Portal, routes: readonly IrpRoute[]): DocsModel {
  const model = docsModel(routes);
  const masters = masterTables();
  const version = packageVersion();
  const nicSchema = readFileSync(join(projectRoot(), 'data', 'irp', 'schema', 'einvoice-v1.1.schema.json'));
  const ownSchema = JSON.stringify(standaloneInvoiceSchema(), null, 2);
  const baseUrl = () => portal.deps.baseUrl();

  portal.route(
    {
      method: 'GET',
      path: '/docs',
      handle: (ctx) => ctx.out.html(200, docsIndexPage(ctx.viewer, model.docs, baseUrl())),
    },
    {
      method: 'GET',
      path: '/docs/api/*',
      handle: (ctx) => {
        const slug = ctx.url.pathname.slice('/docs/api/'.length).replace(/\/$/, '');
        const doc = model.docs.find((d) => d.slug === slug);
        if (!doc)
          return ctx.out.html(
            404,
            messagePage(
              ctx.viewer,
              'No such API',
              html`There is no API <code>${slug}</code>. See the <a href="/docs">list of APIs</a>.`,
              'warning',
            ),
          );
        ctx.out.html(
          200,
          apiPage(
            ctx.viewer,
            model.docs,
            doc,
            { ...model.schemas.get(slug), definitions: model.definitions },
            baseUrl(),
          ),
        );
      },
    },
    {
      method: 'GET',
      path: '/docs/errors',
      handle: (ctx) =>
        ctx.out.html(
          200,
          errorsPage(ctx.viewer, model.docs, allErrorCodes(), ctx.url.searchParams.get('q') ?? ''),
        ),
    },
    {
      method: 'GET',
      path: '/docs/masters',
      handle: (ctx) =>
        ctx.out.html(200, mastersPage(ctx.viewer, model.docs, masters, ctx.url.searchParams.get('q') ?? '')),
    },
    {
      method: 'GET',
      path: '/docs/schema',
      handle: (ctx) =>
        ctx.out.html(200, schemaPage(ctx.viewer, model.docs, model.invoice, model.definitions)),
    },
    {
      method: 'GET',
      path: '/docs/openapi.json',
      handle: (ctx) => ctx.out.json(200, openApiDocument(model.docs, { serverUrl: baseUrl(), version })),
    },
    {
      method: 'GET',
      path: '/docs/einvoice-v1.1.schema.json',
      handle: (ctx) => ctx.out.file(200, 'application/schema+json', nicSchema),
    },
    {
      method: 'GET',
      path: '/docs/invoice.schema.json',
      handle: (ctx) => ctx.out.file(200, 'application/schema+json', ownSchema),
    },
  );
  return model;
}
