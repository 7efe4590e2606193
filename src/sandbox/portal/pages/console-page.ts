/**
 * The console page: the forms are server-rendered and labelled; console.js sends them to the console
 * API and renders each step's values. The APIs' parameters travel as a JSON data block (not script).
 */
import type { ApiDoc } from '../docs/api-docs.js';
import { SCENARIOS } from '../console/scenarios.js';
import { html, raw, type Html } from '../html.js';
import { page } from './layout.js';
import type { Viewer } from './account-pages.js';

export function consolePage(
  v: Viewer,
  docs: readonly ApiDoc[],
  prefill: { clientId?: string; userName?: string; gstin?: string },
  selected?: string,
): Html {
  const callable = docs.filter((d) => !d.body.startsWith('auth'));
  const meta = callable.map((d) => ({
    slug: d.slug,
    title: d.title,
    method: d.method,
    path: d.paths[0],
    body: d.body,
    params: [...(d.pathParams ?? []), ...(d.query ?? [])].map((p) => ({
      name: p.name,
      description: p.description,
    })),
  }));
  const initial = callable.find((d) => d.slug === selected)?.slug ?? 'generate-irn';
  return page({
    title: 'Encryption console',
    section: 'console',
    ...v,
    scripts: ['console.js'],
    body: html`<p>
        An IRP client that shows its work: every value your integration must produce, for your own session. It
        calls this sandbox's APIs over HTTP like any client; the client secret and password you type stay in
        the server's memory for an hour and are never stored.
      </p>
      <script type="application/json" id="console-apis">
        ${raw(JSON.stringify(meta).replace(/</g, '\\u003c'))}
      </script>
      <noscript
        ><p class="notice warning">
          The console needs JavaScript. The <a href="/docs">API documentation</a> works without it.
        </p></noscript
      >

      <section aria-labelledby="h-auth" class="panel">
        <h2 id="h-auth">1. Log in (Authenticate)</h2>
        <form id="auth-form" novalidate>
          <div class="row">
            <div class="field">
              <label for="c-clientId">Client id</label
              ><input
                id="c-clientId"
                name="clientId"
                value="${prefill.clientId ?? ''}"
                autocomplete="off"
                required
              />
            </div>
            <div class="field">
              <label for="c-clientSecret">Client secret</label
              ><input id="c-clientSecret" name="clientSecret" type="password" autocomplete="off" required />
            </div>
            <div class="field">
              <label for="c-gstin">GSTIN</label
              ><input
                id="c-gstin"
                name="gstin"
                value="${prefill.gstin ?? ''}"
                autocomplete="off"
                maxlength="15"
                required
              />
            </div>
          </div>
          <div class="row">
            <div class="field">
              <label for="c-userName">User name</label
              ><input
                id="c-userName"
                name="userName"
                value="${prefill.userName ?? ''}"
                autocomplete="username"
                required
              />
            </div>
            <div class="field">
              <label for="c-password">Password</label
              ><input
                id="c-password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
              />
            </div>
            <div class="field">
              <label for="c-version">Auth version</label>
              <select id="c-version" name="version">
                <option value="v1.04" selected>v1.04 (JSON, RSA over base64)</option>
                <option value="v1.03">v1.03 (fields RSA-encrypted)</option>
              </select>
            </div>
          </div>
          <button type="submit">Log in</button>
        </form>
        <div id="auth-result" aria-live="polite"></div>
      </section>

      <section aria-labelledby="h-call" class="panel">
        <h2 id="h-call">2. Call an API</h2>
        <form id="call-form" novalidate>
          <div class="row">
            <div class="field">
              <label for="c-api">API</label>
              <select id="c-api" name="api">
                ${callable.map((d) => html`<option value="${d.slug}" ${d.slug === initial ? html` selected` : ''}>${d.title} (${d.method} ${d.paths[0]})</option>`)}
              </select>
            </div>
            <div class="field">
              <label for="c-sample">Sample</label>
              <select id="c-sample" name="sample">
                <option value="record">The record's sample, for your session</option>
                <option value="empty">Empty</option>
              </select>
            </div>
            <button type="button" id="load-sample" class="secondary">Load sample</button>
          </div>
          <div id="call-params" class="row"></div>
          <div class="field wide" id="payload-field">
            <label for="c-payload">Payload (plaintext JSON; edit freely)</label>
            <textarea id="c-payload" name="payload" spellcheck="false"></textarea>
          </div>
          <div class="row">
            <button type="button" id="encrypt">Encrypt</button>
            <button type="submit" id="send">Send</button>
          </div>
        </form>
        <div id="encrypt-result" aria-live="polite"></div>
        <div id="call-result" aria-live="polite"></div>
      </section>

      <section aria-labelledby="h-inspect" class="panel">
        <h2 id="h-inspect">3. Substitute your own encrypted payload</h2>
        <p>
          Paste the <code>Data</code> your code produced (or the whole body). The sandbox says whether it
          decrypts under your session's SEK, whether it is JSON, and whether it validates for the API chosen
          above.
        </p>
        <form id="inspect-form" novalidate>
          <div class="field wide">
            <label for="c-encrypted">Encrypted payload</label
            ><textarea id="c-encrypted" name="encrypted" class="short" spellcheck="false"></textarea>
          </div>
          <div class="row">
            <button type="submit">Check</button
            ><button type="button" id="send-raw" class="secondary">Send as is</button>
          </div>
        </form>
        <div id="inspect-result" aria-live="polite"></div>
      </section>

      <section aria-labelledby="h-scenarios" class="panel">
        <h2 id="h-scenarios">4. Error scenarios</h2>
        <p>Each makes real calls with your session and explains the code that comes back.</p>
        <ul class="scenarios">
          ${SCENARIOS.map((s) => html`<li><button type="button" class="secondary" data-scenario="${s.name}" aria-describedby="sc-${s.name}">${s.title}</button> <span id="sc-${s.name}" class="meta">${s.what} Expect ${s.expected}.</span></li>`)}
        </ul>
        <div id="scenario-result" aria-live="polite"></div>
      </section>

      <section aria-labelledby="h-verify" class="panel">
        <h2 id="h-verify">5. Verify a signed invoice or QR code</h2>
        <form id="verify-form" novalidate>
          <div class="field wide">
            <label for="c-jwt">SignedInvoice or SignedQRCode (JWT)</label
            ><textarea id="c-jwt" name="jwt" class="short" spellcheck="false"></textarea>
          </div>
          <button type="submit">Verify</button>
        </form>
        <div id="verify-result" aria-live="polite"></div>
      </section>`,
  });
}
