/**
 * The API documentation pages: an index, one page per API (method, URLs, headers, request schema,
 * samples, error codes linked to the catalogue, curl and TypeScript), the error catalogue, the master
 * tables and the invoice schema. Tables are searchable with `?q=` (no script needed) and filter as you
 * type with docs.js.
 */
import { lookupErrorCode, type CatalogueEntry } from '../../../irp/errors.js';
import type { ApiDoc } from '../docs/api-docs.js';
import { schemaRows, type SchemaRow } from '../docs/json-schema.js';
import type { JsonSchema } from '../docs/json-schema.js';
import { html, prettyJson, type Html } from '../html.js';
import { page } from './layout.js';
import type { Viewer } from './account-pages.js';

export interface MasterTable {
  id: string;
  title: string;
  columns: string[];
  rows: string[][];
}

function sidebar(docs: readonly ApiDoc[], current?: string): Html {
  const link = (href: string, label: string, key: string) =>
    html`<li><a href="${href}" ${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav class="sidebar" aria-label="API documentation">
    <ul>
      ${link('/docs', 'Overview', 'index')} ${docs.map((d) => link(`/docs/api/${d.slug}`, d.title, d.slug))}
      ${link('/docs/errors', 'Error codes', 'errors')} ${link('/docs/masters', 'Master codes', 'masters')}
      ${link('/docs/schema', 'Invoice JSON schema', 'schema')}
      <li><a href="/docs/openapi.json" download="irp-sandbox-openapi.json">OpenAPI 3.1 (JSON)</a></li>
    </ul>
  </nav>`;
}

function docsPage(v: Viewer, docs: readonly ApiDoc[], current: string, title: string, body: Html): Html {
  return page({
    title,
    section: 'docs',
    ...v,
    scripts: ['docs.js'],
    body: html`<div class="columns">
      ${sidebar(docs, current)}
      <div class="content">${body}</div>
    </div>`,
  });
}

export function docsIndexPage(v: Viewer, docs: readonly ApiDoc[], baseUrl: string): Html {
  return docsPage(
    v,
    docs,
    'index',
    'API documentation',
    html`<p>
        Every IRP API this sandbox serves, generated from the server's own route table and codecs (the same
        definitions that answer your calls). Base URL: <code>${baseUrl}</code>.
      </p>
      <table>
        <caption>
          APIs
        </caption>
        <thead>
          <tr>
            <th scope="col">API</th>
            <th scope="col">Method</th>
            <th scope="col">Path</th>
          </tr>
        </thead>
        <tbody>
          ${docs.map(
            (d) =>
              html`<tr>
                <td><a href="/docs/api/${d.slug}">${d.title}</a></td>
                <td class="method">${d.method}</td>
                <td>${d.paths.map((p, i) => html`${i > 0 ? html`<br />` : ''}<code>${p}</code>`)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h2>How a call is made</h2>
      <ol>
        <li>Download the <a href="/sandbox/public-key.pem">encryption public key</a>.</li>
        <li>
          Make a random 32-byte <strong>AppKey</strong>. Log in (<a href="/docs/api/auth-v1-04"
            >Authenticate</a
          >): the JSON <code>{UserName, Password, AppKey, ForceRefreshAccessToken}</code> is base64-encoded
          and RSA-encrypted (PKCS#1 v1.5).
        </li>
        <li>
          The answer carries an <strong>AuthToken</strong> and <strong>Sek</strong>: the session key,
          AES-256-ECB-encrypted under the AppKey. Decrypt it.
        </li>
        <li>
          Every later payload is <code>{"Data": base64(AES-256-ECB(SEK, JSON))}</code>, with the headers
          <code>client_id</code>, <code>client_secret</code>, <code>Gstin</code>, <code>user_name</code> and
          <code>AuthToken</code>. Answers are encrypted the same way.
        </li>
        <li>
          Every business outcome is HTTP 200 with the envelope
          <code>{Status, Data, ErrorDetails, InfoDtls}</code>; failures list IRP
          <a href="/docs/errors">error codes</a>.
        </li>
      </ol>
      <p>The <a href="/console">console</a> shows each of these values for your own session.</p>`,
  );
}

function codeLink(code: string): Html {
  return html`<a href="/docs/errors#E${code}">${code}</a>`;
}

function schemaTable(caption: string, rows: SchemaRow[]): Html {
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Member</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Constraints</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td><code>${r.path}</code></td>
              <td>${r.type}</td>
              <td>${r.required ? 'yes' : 'no'}</td>
              <td>${r.constraints}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function curlSample(doc: ApiDoc, baseUrl: string): string {
  const path = doc.paths[0]!.replace(
    /:([A-Za-z]+)/g,
    (_m, name: string) => doc.pathParams?.find((p) => p.name === name)?.example ?? name,
  );
  const query = doc.query ? `?${doc.query.map((q) => `${q.name}=${q.example}`).join('&')}` : '';
  const headers = doc.headers
    .filter((h) => h.required)
    .map((h) => `  -H "${h.name}: ${h.value}"`)
    .join(' \\\n');
  const url = `"$BASE${path}${query}"`;
  const lines = [`BASE=${baseUrl}`];
  switch (doc.body) {
    case 'auth-v1.04':
      lines.push(
        '# a random 32-byte AppKey, kept as hex for openssl',
        'APPKEY_HEX=$(openssl rand -hex 32)',
        'APPKEY_B64=$(echo -n "$APPKEY_HEX" | xxd -r -p | base64 -w0)',
        '# JSON -> base64 -> RSA PKCS#1 v1.5 with the sandbox public key -> base64',
        `DATA=$(printf '{"UserName":"%s","Password":"%s","AppKey":"%s","ForceRefreshAccessToken":false}' "$USER_NAME" "$PASSWORD" "$APPKEY_B64" \\`,
        '  | base64 -w0 | openssl pkeyutl -encrypt -pubin -inkey public-key.pem -pkeyopt rsa_padding_mode:pkcs1 | base64 -w0)',
        `curl -sS -X POST ${url} \\\n${headers} \\\n  -d "{\\"Data\\":\\"$DATA\\"}" > auth.json`,
        '# the SEK: Data.Sek decrypted with the AppKey (AES-256-ECB)',
        'SEK_HEX=$(jq -r .Data.Sek auth.json | base64 -d | openssl enc -d -aes-256-ecb -K "$APPKEY_HEX" | xxd -p -c 64)',
        'AUTH_TOKEN=$(jq -r .Data.AuthToken auth.json)',
      );
      break;
    case 'auth-v1.03':
      lines.push(
        'APPKEY_HEX=$(openssl rand -hex 32)',
        'rsa() { openssl pkeyutl -encrypt -pubin -inkey public-key.pem -pkeyopt rsa_padding_mode:pkcs1 | base64 -w0; }',
        'PASSWORD_RSA=$(echo -n "$PASSWORD" | rsa)',
        'APPKEY_RSA=$(echo -n "$APPKEY_HEX" | xxd -r -p | rsa)',
        `curl -sS -X POST ${url} \\\n${headers} \\\n  -d "{\\"data\\":{\\"UserName\\":\\"$USER_NAME\\",\\"Password\\":\\"$PASSWORD_RSA\\",\\"AppKey\\":\\"$APPKEY_RSA\\",\\"ForceRefreshAccessToken\\":false}}"`,
      );
      break;
    case 'json':
      lines.push(
        '# payload.json: the plain request; Data = base64(AES-256-ECB(SEK, JSON))',
        'DATA=$(openssl enc -aes-256-ecb -K "$SEK_HEX" -in payload.json | base64 -w0)',
        `curl -sS -X POST ${url} \\\n${headers} \\\n  -d "{\\"Data\\":\\"$DATA\\"}" > answer.json`,
        '# a success: decrypt Data with the SEK',
        'jq -r .Data answer.json | base64 -d | openssl enc -d -aes-256-ecb -K "$SEK_HEX"',
      );
      break;
    case 'ewb':
      lines.push(
        '# e-way-bill style: the AES plaintext is the base64 of the JSON',
        'DATA=$(base64 -w0 payload.json | openssl enc -aes-256-ecb -K "$SEK_HEX" | base64 -w0)',
        `curl -sS -X POST ${url} \\\n${headers} \\\n  -d "{\\"action\\":\\"CANEWB\\",\\"data\\":\\"$DATA\\"}" > answer.json`,
        'jq -r .Data answer.json | base64 -d | openssl enc -d -aes-256-ecb -K "$SEK_HEX" | base64 -d',
      );
      break;
    case 'none':
      lines.push(
        `curl -sS ${url} \\\n${headers} > answer.json`,
        'jq -r .Data answer.json | base64 -d | openssl enc -d -aes-256-ecb -K "$SEK_HEX"',
      );
      break;
  }
  return lines.join('\n');
}

export function typeScriptSample(doc: ApiDoc, baseUrl: string): string {
  const call = doc.client
    ? `const outcome = await irp.${doc.client.fn}(${doc.client.args});
if (outcome.kind === 'success') console.log(outcome.data);
else console.error(outcome.kind, 'errors' in outcome ? outcome.errors : outcome);`
    : `// The client logs in by itself (${doc.title}) before its first call, and again when the token expires.
const outcome = await irp.gstinDetails(gstin, gstin);
console.log(outcome.kind, irp.sessionState(gstin));`;
  return `import { readFileSync } from 'node:fs';
import { createIrpClient } from 'irp-bridge/src/irp/client/index.js'; // in this repository: './src/irp/client/index.js'

const gstin = process.env.GSTIN!;
const irp = createIrpClient({
  baseUrl: '${baseUrl}',
  publicKeyPem: readFileSync('public-key.pem', 'utf8'),
  signingCertPem: readFileSync('signing-cert.pem', 'utf8'),
  credentials: [{ gstin, clientId: process.env.CLIENT_ID!, clientSecret: process.env.CLIENT_SECRET!, userName: process.env.USER_NAME!, password: process.env.PASSWORD! }],
});
${doc.client?.fn === 'generateIrn' ? "const invoice = JSON.parse(readFileSync('invoice.json', 'utf8'));\n" : ''}${call}
await irp.close();`;
}

export function apiPage(
  v: Viewer,
  docs: readonly ApiDoc[],
  doc: ApiDoc,
  schemas: { request?: JsonSchema; response?: JsonSchema; definitions: Map<string, JsonSchema> },
  baseUrl: string,
): Html {
  const bodyText: Record<ApiDoc['body'], string> = {
    none: 'No body.',
    json: 'JSON {"Data": base64(AES-256-ECB(SEK, the request below))}.',
    ewb: 'JSON {"action": "CANEWB", "data": base64(AES-256-ECB(SEK, base64(the request below)))}.',
    'auth-v1.04': 'JSON {"Data": base64(RSA-PKCS#1-v1.5(public key, base64(the request below)))}.',
    'auth-v1.03':
      'The request below as it is, with Password and AppKey each RSA-encrypted and base64-encoded.',
  };
  return docsPage(
    v,
    docs,
    doc.slug,
    doc.title,
    html`<p>${doc.summary}</p>
      <dl class="facts">
        <div>
          <dt>Method</dt>
          <dd class="method">${doc.method}</dd>
        </div>
        <div>
          <dt>URL</dt>
          <dd>${doc.paths.map((p, i) => html`${i > 0 ? html`<br />` : ''}<code>${baseUrl}${p}</code>`)}</dd>
        </div>
        <div>
          <dt>Body</dt>
          <dd>${bodyText[doc.body]}</dd>
        </div>
        <div>
          <dt>Try it</dt>
          <dd><a href="/console?api=${doc.slug}">Open in the console</a></dd>
        </div>
      </dl>
      ${
        doc.notes?.length
          ? html`<ul>
              ${doc.notes.map((n) => html`<li>${n}</li>`)}
            </ul>`
          : ''
      }
      <h2 id="headers">Headers</h2>
      <table>
        <caption>
          Request headers
        </caption>
        <thead>
          <tr>
            <th scope="col">Header</th>
            <th scope="col">Required</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          ${doc.headers.map(
            (h) =>
              html`<tr>
                <td><code>${h.name}</code></td>
                <td>${h.required ? 'yes' : 'no'}</td>
                <td>${h.description}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        doc.pathParams || doc.query
          ? html`<h2 id="parameters">Parameters</h2>
              <table>
                <caption>
                  Path and query parameters
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">In</th>
                    <th scope="col">Meaning</th>
                    <th scope="col">Example</th>
                  </tr>
                </thead>
                <tbody>
                  ${[
                    ...(doc.pathParams ?? []).map((p) => ({ ...p, in: 'path' })),
                    ...(doc.query ?? []).map((q) => ({ ...q, in: 'query' })),
                  ].map(
                    (p) =>
                      html`<tr>
                        <td><code>${p.name}</code></td>
                        <td>${p.in}</td>
                        <td>${p.description}</td>
                        <td><code>${p.example}</code></td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : ''
      }
      ${
        doc.request && schemas.request
          ? html`<h2 id="request">Request (decrypted)</h2>
              ${schemaTable('Request schema, from the server\u2019s codec', schemaRows(schemas.request, schemas.definitions))}
              <h3>Sample request</h3>
              <p class="meta">Source: ${doc.request.source}</p>
              <pre tabindex="0"><code>${prettyJson(doc.request.sample)}</code></pre>`
          : ''
      }
      ${
        doc.response && schemas.response
          ? html`<h2 id="response">Response</h2>
              ${schemaTable('Data of a success (decrypted), from the client\u2019s codec', schemaRows(schemas.response, schemas.definitions))}
              <h3>Sample success (Data decrypted)</h3>
              <p class="meta">Source: ${doc.response.source}</p>
              <pre
                tabindex="0"
              ><code>${prettyJson({ Status: 1, Data: doc.response.sample, ErrorDetails: null, InfoDtls: null })}</code></pre>`
          : ''
      }
      <h3>Sample failure</h3>
      <pre
        tabindex="0"
      ><code>${prettyJson({ Status: 0, Data: null, ErrorDetails: [{ ErrorCode: doc.errors[0]!.code, ErrorMessage: lookupErrorCode(doc.errors[0]!.code)?.message ?? '' }], InfoDtls: null })}</code></pre>
      <h2 id="errors">Validations and error codes</h2>
      <table>
        <caption>
          Codes this API can return
        </caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">When</th>
            <th scope="col">NIC's message</th>
          </tr>
        </thead>
        <tbody>
          ${doc.errors.map(
            (e) =>
              html`<tr>
                <td>${codeLink(e.code)}</td>
                <td>${e.when}</td>
                <td>${lookupErrorCode(e.code)?.message ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h2 id="curl">curl (with openssl)</h2>
      <pre tabindex="0"><code>${curlSample(doc, baseUrl)}</code></pre>
      <h2 id="typescript">TypeScript (irp-bridge's client)</h2>
      <pre tabindex="0"><code>${typeScriptSample(doc, baseUrl)}</code></pre>`,
  );
}

function searchForm(id: string, label: string, q: string, action: string): Html {
  return html`<form method="get" action="${action}" class="search" role="search">
    <div class="field">
      <label for="q-${id}">${label}</label>
      <input type="search" id="q-${id}" name="q" value="${q}" data-filter="${id}" autocomplete="off" />
    </div>
    <button type="submit" class="secondary">Search</button>
  </form>`;
}

export function errorsPage(
  v: Viewer,
  docs: readonly ApiDoc[],
  entries: readonly CatalogueEntry[],
  q: string,
): Html {
  const needle = q.trim().toLowerCase();
  const shown = needle
    ? entries.filter((e) => `${e.code} ${e.message} ${e.category}`.toLowerCase().includes(needle))
    : entries;
  const apisOf = (code: string) => docs.filter((d) => d.errors.some((e) => e.code === code));
  return docsPage(
    v,
    docs,
    'errors',
    'Error codes',
    html`<p>
        The IRP's error catalogue (${String(entries.length)} codes, NIC's own wording). Each API page lists
        the codes it returns and when.
      </p>
      ${searchForm('errors', 'Search codes and messages', q, '/docs/errors')}
      <div class="table-wrap">
        <table id="errors">
          <caption>
            Error catalogue${needle ? html` (${String(shown.length)} matching “${q}”)` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Message</th>
              <th scope="col">Category</th>
              <th scope="col">Returned by</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (e) =>
                html`<tr id="E${e.code}">
                  <td><strong>${e.code}</strong></td>
                  <td>${e.message}</td>
                  <td>${e.category}</td>
                  <td>
                    ${apisOf(e.code).map(
                      (d, i) => html`${i > 0 ? ', ' : ''}<a href="/docs/api/${d.slug}#errors">${d.title}</a>`,
                    )}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  );
}

export function mastersPage(
  v: Viewer,
  docs: readonly ApiDoc[],
  tables: readonly MasterTable[],
  q: string,
): Html {
  const needle = q.trim().toLowerCase();
  return docsPage(
    v,
    docs,
    'masters',
    'Master codes',
    html`<p>
        The IRP's masters as the validator uses them:
        ${tables.map((t, i) => html`${i > 0 ? ', ' : ''}<a href="#${t.id}">${t.title}</a>`)}.
      </p>
      ${searchForm('masters', 'Search every table', q, '/docs/masters')}
      ${tables.map((t) => {
        const rows = needle ? t.rows.filter((r) => r.join(' ').toLowerCase().includes(needle)) : t.rows;
        return html`<h2 id="${t.id}">${t.title}</h2>
          <div class="table-wrap">
            <table id="table-${t.id}" data-filter-group="masters">
              <caption>
                ${t.title} (${String(rows.length)} of ${String(t.rows.length)})
              </caption>
              <thead>
                <tr>
                  ${t.columns.map((c) => html`<th scope="col">${c}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr>
                      ${r.map((c) => html`<td>${c}</td>`)}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
      })}`,
  );
}

export function schemaPage(
  v: Viewer,
  docs: readonly ApiDoc[],
  invoice: JsonSchema,
  definitions: Map<string, JsonSchema>,
): Html {
  return docsPage(
    v,
    docs,
    'schema',
    'Invoice JSON schema',
    html`<p>
        Downloads: <a href="/docs/einvoice-v1.1.schema.json" download>NIC's e-invoice schema v1.1</a> (as
        published, vendored in <code>data/irp/schema</code>) ·
        <a href="/docs/invoice.schema.json" download>the schema the sandbox enforces</a> (JSON Schema 2020-12,
        generated from the validator's codecs; the OpenAPI document uses the same).
      </p>
      <p>
        Member names bind case-insensitively and <code>null</code> optionals are dropped, as NIC does;
        business rules beyond the schema are listed on the
        <a href="/docs/api/generate-irn#errors">Generate IRN</a> page.
      </p>
      ${schemaTable('Every member of the invoice', schemaRows(invoice, definitions))}`,
  );
}
