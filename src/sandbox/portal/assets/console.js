// The encryption console: sends the forms to /console/api/* and shows every value that comes back.
// Everything is rendered with textContent (never innerHTML), so no answer can inject markup.
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const apis = JSON.parse(document.getElementById('console-apis')?.textContent ?? '[]');
const $ = (id) => document.getElementById(id);

async function call(path, body) {
  const res = await fetch(`/console/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body),
  });
  try {
    return await res.json();
  } catch {
    return { ok: false, error: `The sandbox answered HTTP ${res.status}.` };
  }
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const json = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));
const block = (label, value, testId) =>
  el(
    'div',
    { class: 'result-item', ...(testId ? { 'data-testid': testId } : {}) },
    el('h4', {}, label),
    el('pre', { tabindex: '0' }, el('code', {}, json(value))),
  );

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function errorList(errors) {
  if (!errors?.length) return null;
  return el(
    'div',
    { class: 'notice warning', 'data-testid': 'errors' },
    el('h4', {}, 'IRP error codes'),
    el(
      'ul',
      {},
      errors.map((e) =>
        el(
          'li',
          {},
          el('a', { href: `/docs/errors#E${e.code}` }, el('strong', {}, e.code)),
          ` ${e.message} — ${e.explanation}`,
        ),
      ),
    ),
  );
}

function transcriptView(t, label) {
  return el(
    'div',
    { class: 'result' },
    label ? el('h3', {}, label) : null,
    el(
      'p',
      { 'data-testid': 'status' },
      `HTTP ${t.response.status}`,
      t.status === undefined ? '' : ` · Status ${t.status} (${t.status === 1 ? 'success' : 'failure'})`,
    ),
    errorList(t.errors),
    block(
      'Request',
      `${t.request.method} ${t.request.url}\n${Object.entries(t.request.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}${t.request.body ? `\n\n${t.request.body}` : ''}`,
    ),
    block('Raw response', pretty(t.response.body), 'raw-response'),
    t.decrypted === undefined ? null : block('Decrypted Data', t.decrypted, 'decrypted'),
    t.info ? block('InfoDtls', t.info) : null,
  );
}

function show(target, ...nodes) {
  target.replaceChildren(...nodes.filter(Boolean));
}

function failure(target, message) {
  show(target, el('p', { class: 'error', role: 'alert' }, message));
}

async function busy(button, work) {
  button.disabled = true;
  try {
    await work();
  } finally {
    button.disabled = false;
  }
}

// 1. Auth
$('auth-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const button = event.submitter ?? event.target.querySelector('button');
  busy(button, async () => {
    const r = await call('auth', Object.fromEntries(form));
    const out = $('auth-result');
    if (!r.ok) return failure(out, r.error);
    const v = r.value;
    show(
      out,
      v.authToken
        ? el(
            'p',
            { class: 'step-ok', 'data-testid': 'auth-status' },
            `Logged in. Token valid until ${v.tokenExpiry}.`,
          )
        : el('p', { class: 'step-fail', 'data-testid': 'auth-status' }, 'Login refused.'),
      block('1. Plaintext login JSON', v.plaintext),
      el('p', { class: 'meta' }, v.plaintextNote),
      block('2. AppKey (32 random bytes)', `base64: ${v.appKey.base64}\nhex:    ${v.appKey.hex}`, 'appkey'),
      block('3. RSA-encrypted auth body (sandbox public key, PKCS#1 v1.5)', v.rsaBody, 'rsa-body'),
      v.sekEncrypted
        ? block('4. Sek as sent (AES-256-ECB under the AppKey)', v.sekEncrypted, 'sek-encrypted')
        : null,
      v.sek
        ? block(
            '5. SEK in clear (decrypted with the AppKey)',
            `base64: ${v.sek.base64}\nhex:    ${v.sek.hex}`,
            'sek-clear',
          )
        : null,
      v.authToken ? block('AuthToken', v.authToken) : null,
      transcriptView(v.transcript, 'The HTTP exchange'),
    );
    if (v.authToken) loadSample();
  });
});

// 2. Call an API
function currentApi() {
  return apis.find((a) => a.slug === $('c-api').value) ?? apis[0];
}

function renderParams(values = {}) {
  const api = currentApi();
  const box = $('call-params');
  box.replaceChildren(
    ...api.params.map((p) =>
      el(
        'div',
        { class: 'field' },
        el('label', { for: `p-${p.name}` }, `${p.name} (${p.description})`),
        (() => {
          const input = el('input', { id: `p-${p.name}`, name: `param-${p.name}`, autocomplete: 'off' });
          input.value = values[p.name] ?? '';
          return input;
        })(),
      ),
    ),
  );
  const hasBody = api.body === 'json' || api.body === 'ewb';
  $('payload-field').hidden = !hasBody;
  $('encrypt').hidden = !hasBody;
}

async function loadSample() {
  const r = await call('sample', { api: currentApi().slug, sample: $('c-sample').value });
  if (!r.ok) return failure($('call-result'), r.error);
  $('c-payload').value = r.value.payload ?? '';
  renderParams(r.value.params);
}

function params() {
  const out = {};
  for (const input of $('call-params').querySelectorAll('input'))
    out[input.name.replace(/^param-/, '')] = input.value;
  return out;
}

$('c-api').addEventListener('change', () => loadSample());
$('load-sample').addEventListener('click', () => loadSample());
$('encrypt').addEventListener('click', (event) =>
  busy(event.target, async () => {
    const r = await call('encrypt', { api: currentApi().slug, payload: $('c-payload').value });
    const out = $('encrypt-result');
    if (!r.ok) return failure(out, r.error);
    show(
      out,
      block('AES-256-ECB payload under your SEK (base64)', r.value.data, 'aes-payload'),
      block('Request body', r.value.body, 'request-body'),
    );
    $('c-encrypted').value = r.value.data;
  }),
);
$('call-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter ?? $('send'), async () => {
    const api = currentApi();
    const hasBody = api.body === 'json' || api.body === 'ewb';
    const r = await call('send', {
      api: api.slug,
      params: params(),
      ...(hasBody ? { payload: $('c-payload').value } : {}),
    });
    const out = $('call-result');
    if (!r.ok) return failure(out, r.error);
    show(out, transcriptView(r.value, `${api.title}: the HTTP exchange`));
    const signed = r.value.decrypted?.SignedInvoice;
    if (signed) $('c-jwt').value = r.value.decrypted.SignedQRCode ?? signed;
  });
});

// 3. Substitute an encrypted payload
$('inspect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter ?? event.target.querySelector('button'), async () => {
    const r = await call('inspect', { api: currentApi().slug, encrypted: $('c-encrypted').value });
    const out = $('inspect-result');
    if (!r.ok) return failure(out, r.error);
    show(
      out,
      el(
        'ul',
        { class: 'steps-list', 'data-testid': 'inspect-steps' },
        r.value.steps.map((s) =>
          el(
            'li',
            {},
            el('span', { class: s.ok ? 'step-ok' : 'step-fail' }, s.ok ? '✓ ' : '✗ '),
            el('strong', {}, s.name),
            `: ${s.detail}`,
          ),
        ),
      ),
      r.value.findings.length
        ? el(
            'table',
            { 'data-testid': 'findings' },
            el('caption', {}, 'Validation findings'),
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ['Code', 'JSON path', 'Message'].map((h) => el('th', { scope: 'col' }, h)),
              ),
            ),
            el(
              'tbody',
              {},
              r.value.findings.map((f) =>
                el(
                  'tr',
                  {},
                  el('td', {}, el('a', { href: `/docs/errors#E${f.code}` }, f.code)),
                  el('td', {}, el('code', {}, f.path || '(payload)')),
                  el('td', {}, f.detail ? `${f.message} — ${f.detail}` : f.message),
                ),
              ),
            ),
          )
        : null,
      r.value.decrypted === undefined ? null : block('Decrypted payload', r.value.decrypted),
    );
  });
});
$('send-raw').addEventListener('click', (event) =>
  busy(event.target, async () => {
    const api = currentApi();
    const text = $('c-encrypted').value.trim();
    const rawBody = text.startsWith('{')
      ? text
      : JSON.stringify(api.body === 'ewb' ? { action: 'CANEWB', data: text } : { Data: text });
    const r = await call('send', { api: api.slug, params: params(), rawBody });
    const out = $('inspect-result');
    if (!r.ok) return failure(out, r.error);
    show(out, transcriptView(r.value, 'Your payload, sent as is'));
  }),
);

// 4. Scenarios
for (const button of document.querySelectorAll('button[data-scenario]')) {
  button.addEventListener('click', () =>
    busy(button, async () => {
      const r = await call('scenario', { name: button.getAttribute('data-scenario') });
      const out = $('scenario-result');
      if (!r.ok) return failure(out, r.error);
      const v = r.value;
      show(
        out,
        el('h3', {}, v.title),
        el(
          'p',
          { 'data-testid': 'scenario-outcome', class: v.got.includes(v.expected) ? 'step-ok' : 'step-fail' },
          `Expected ${v.expected}, got ${v.got.join(', ') || 'no error'}.`,
        ),
        el(
          'p',
          {},
          el('strong', {}, `${v.explanation.code}: ${v.explanation.message}. `),
          v.explanation.explanation,
        ),
        v.transcripts.map((t) => transcriptView(t.transcript, t.label)),
      );
    }),
  );
}

// 5. Verify a JWT
$('verify-form').addEventListener('submit', (event) => {
  event.preventDefault();
  busy(event.submitter ?? event.target.querySelector('button'), async () => {
    const r = await call('verify', { jwt: $('c-jwt').value });
    const out = $('verify-result');
    if (!r.ok) return failure(out, r.error);
    const v = r.value;
    show(
      out,
      el(
        'p',
        { class: 'step-ok', 'data-testid': 'verify-status' },
        `${v.kind}: signature verified with the sandbox signing certificate.`,
      ),
      block('JWT header', v.header),
      block('Decoded data', v.data, 'jwt-data'),
      v.qrPng
        ? el(
            'figure',
            { class: 'qr' },
            el('img', { src: v.qrPng, alt: `QR code of this ${v.kind}`, 'data-testid': 'qr' }),
            el('figcaption', {}, 'The signed QR code as printed on an invoice.'),
          )
        : el('p', {}, 'A SignedInvoice is not printed as a QR code; verify the SignedQRCode to see it.'),
    );
  });
});

renderParams();
call('state', {}).then((r) => {
  if (r.ok && r.value.loggedIn) loadSample();
});
