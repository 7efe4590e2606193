/**
 * Pages of the account side: home, registration (form, OTPs, credentials shown once), outbox, login,
 * account (client secret, password reset, more GSTINs, key downloads).
 */
import { html, type Html } from '../html.js';
import type { IssuedCredentials } from '../portal-accounts.js';
import type { OutboxMessage, PortalAccount, PortalUser } from '../portal-store.js';
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_SPECIALS } from '../password-policy.js';
import { credentialList, csrfInput, errorSummary, field, notice, page } from './layout.js';

export interface Viewer {
  csrf: string;
  user?: string;
}

type Errors = Record<string, string>;

export function homePage(v: Viewer, info: { gstinCount: number; strictGstin: boolean }): Html {
  return page({
    title: 'IRP sandbox developer portal',
    section: 'home',
    ...v,
    body: html`<p class="lead">
        A faithful simulator of NIC's e-invoice IRP: the same endpoints, encryption, tokens, validations and
        error codes. Register a GSTIN to get API credentials, read the API documentation, and watch every
        encryption step in the console.
      </p>
      <ol class="steps">
        <li>
          <a href="/register">Register</a> a GSTIN with your mobile number and e-mail (two OTPs, delivered to
          the sandbox <a href="/outbox">outbox</a>). You receive a client id, client secret, user name and
          password, shown once.
        </li>
        <li>
          Read the <a href="/docs">API documentation</a>: every API with its headers, schema, samples, error
          codes, curl and TypeScript. Download the <a href="/docs/openapi.json">OpenAPI 3.1 document</a>.
        </li>
        <li>
          Open the <a href="/console">console</a>: log in with your credentials and see the AppKey, the
          RSA-encrypted login, the SEK and every AES payload; generate an IRN; try the error scenarios; verify
          a signed invoice.
        </li>
      </ol>
      <p>
        ${
          info.strictGstin
            ? 'This sandbox runs with --strict-gstin: only GSTINs in its taxpayer master can register.'
            : 'Any well-formed GSTIN can register: unknown ones count as active regular taxpayers of their state.'
        }
      </p>
      <p>
        Keys:
        <a href="/sandbox/public-key.pem" download="irp-sandbox-public-key.pem">encryption public key</a> ·
        <a href="/sandbox/signing-cert.pem" download="irp-sandbox-signing-cert.pem">signing certificate</a>
      </p>`,
  });
}

export function registerPage(
  v: Viewer,
  values: { gstin?: string; mobile?: string; email?: string } = {},
  errors: Errors = {},
): Html {
  return page({
    title: 'Register for sandbox API access',
    section: 'register',
    ...v,
    scripts: ['forms.js'],
    body: html`${errorSummary(errors)}
      <p>
        One registration per GSTIN. An OTP goes to the mobile number and another to the e-mail address; in
        this sandbox they arrive in the <a href="/outbox">outbox</a> of this browser (and in the server log).
      </p>
      <form method="post" action="/register" novalidate>
        ${csrfInput(v.csrf)}
        ${field({ name: 'gstin', label: 'GSTIN', value: values.gstin, hint: '15 characters, for example 29AABCB2026E1Z6.', autocomplete: 'off', maxlength: 15, required: true }, errors)}
        ${field({ name: 'mobile', label: 'Mobile number', type: 'tel', value: values.mobile, hint: '10 digits; +91 may be left out.', autocomplete: 'tel', inputmode: 'tel', required: true }, errors)}
        ${field({ name: 'email', label: 'E-mail address', type: 'email', value: values.email, autocomplete: 'email', required: true, maxlength: 100 }, errors)}
        <button type="submit">Send OTPs</button>
      </form>`,
  });
}

export function verifyPage(
  v: Viewer,
  targets: { channel: 'mobile' | 'email'; masked: string; verified: boolean }[],
  errors: Errors = {},
  options: { title?: string; action?: string; resendAction?: string; sent?: boolean } = {},
): Html {
  const action = options.action ?? '/register/verify';
  return page({
    title: options.title ?? 'Enter the OTPs',
    section: 'register',
    ...v,
    scripts: ['forms.js'],
    body: html`${errorSummary(errors)}
      ${options.sent ? notice('info', html`OTPs sent. Open the <a href="/outbox">outbox</a> to read them (they expire in 10 minutes).`) : ''}
      <form method="post" action="${action}" novalidate>
        ${csrfInput(v.csrf)}
        ${targets.map((t) =>
          t.verified
            ? html`<p class="verified">
                The ${t.channel === 'mobile' ? 'SMS' : 'e-mail'} OTP sent to ${t.masked} is verified.
              </p>`
            : field(
                {
                  name: `${t.channel}Otp`,
                  label:
                    t.channel === 'mobile'
                      ? `OTP sent by SMS to ${t.masked}`
                      : `OTP sent by e-mail to ${t.masked}`,
                  inputmode: 'numeric',
                  autocomplete: 'one-time-code',
                  maxlength: 6,
                  required: true,
                },
                errors,
              ),
        )}
        <button type="submit">Verify</button>
      </form>
      <form method="post" action="${options.resendAction ?? '/register/resend'}" class="secondary">
        ${csrfInput(v.csrf)}
        <button type="submit" class="secondary">Send new OTPs</button>
      </form>`,
  });
}

export function credentialsPage(
  v: Viewer,
  credentials: IssuedCredentials,
  title = 'Registration complete',
): Html {
  const rows: [string, string][] = [
    ['GSTIN', credentials.gstin],
    ['Client id', credentials.clientId],
  ];
  if (credentials.clientSecret) rows.push(['Client secret', credentials.clientSecret]);
  rows.push(['User name', credentials.userName], ['Password', credentials.password]);
  return page({
    title,
    section: v.user ? 'account' : 'register',
    ...v,
    scripts: ['forms.js'],
    body: html`${notice('warning', html`<strong>Copy these now.</strong> The sandbox keeps only scrypt hashes of the client secret and the password: this page is the only time they are shown.`)}
      ${credentialList(rows)}
      <p>
        Use them in the <a href="/console">console</a> or with the irp-bridge client (see the
        <a href="/docs">API docs</a>).
        ${v.user ? '' : html`<a href="/login">Log in</a> to the portal with the user name and password.`}
      </p>`,
  });
}

export function outboxPage(v: Viewer, messages: OutboxMessage[], formatTime: (ms: number) => string): Html {
  return page({
    title: 'Sandbox outbox',
    section: 'outbox',
    ...v,
    body: html`<p>
        In sandbox mode, SMS and e-mail are not sent: the messages for this browser's registrations and
        password resets are shown here (and written to the server log). Newest first.
      </p>
      ${
        messages.length === 0
          ? html`<p>No messages for this browser yet.</p>`
          : html`<ul class="outbox">
              ${messages.map(
                (m) =>
                  html`<li>
                    <article aria-label="${m.channel === 'mobile' ? 'SMS' : 'E-mail'} to ${m.address}">
                      <p class="meta">
                        ${m.channel === 'mobile' ? 'SMS' : 'E-mail'} to <strong>${m.address}</strong> ·
                        <time>${formatTime(m.createdAt)}</time
                        >${m.channel === 'email' ? html` · ${m.subject}` : ''}
                      </p>
                      <p class="message" data-channel="${m.channel}">${m.body}</p>
                    </article>
                  </li>`,
              )}
            </ul>`
      }`,
  });
}

export function loginPage(
  v: Viewer,
  values: { userName?: string } = {},
  errors: Errors = {},
  info?: string,
): Html {
  return page({
    title: 'Log in',
    section: 'login',
    ...v,
    scripts: ['forms.js'],
    body: html`${errorSummary(errors)}${info ? notice('success', info) : ''}
      <form method="post" action="/login" novalidate>
        ${csrfInput(v.csrf)}
        ${field({ name: 'userName', label: 'User name', value: values.userName, autocomplete: 'username', required: true }, errors)}
        ${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true }, errors)}
        <button type="submit">Log in</button>
      </form>
      <p>No account yet? <a href="/register">Register a GSTIN</a>.</p>`,
  });
}

export function accountPage(
  v: Viewer,
  data: { account: PortalAccount; users: PortalUser[]; current: string },
  errors: Errors = {},
  flash?: string,
): Html {
  return page({
    title: 'Your account',
    section: 'account',
    ...v,
    scripts: ['forms.js'],
    body: html`${errorSummary(errors)}${flash ? notice('success', flash) : ''}
      <section aria-labelledby="h-account">
        <h2 id="h-account">Credentials</h2>
        <dl class="facts">
          <div>
            <dt>Client id</dt>
            <dd><code>${data.account.clientId}</code></dd>
          </div>
          <div>
            <dt>PAN</dt>
            <dd>${data.account.pan}</dd>
          </div>
          <div>
            <dt>Mobile</dt>
            <dd>${data.account.mobile}</dd>
          </div>
          <div>
            <dt>E-mail</dt>
            <dd>${data.account.email}</dd>
          </div>
        </dl>
        <table>
          <caption>
            API users of this client (one per GSTIN)
          </caption>
          <thead>
            <tr>
              <th scope="col">GSTIN</th>
              <th scope="col">User name</th>
            </tr>
          </thead>
          <tbody>
            ${data.users.map(
              (u) =>
                html`<tr>
                  <td>${u.gstin}</td>
                  <td><code>${u.userName}</code>${u.userName === data.current ? ' (you)' : ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="h-secret">
        <h2 id="h-secret">Client secret</h2>
        <p>
          The secret is stored only as a hash, so it cannot be shown again. A new one replaces it at once: API
          calls with the old secret fail with 1010.
        </p>
        <form method="post" action="/account/secret">
          ${csrfInput(v.csrf)}
          <button type="submit">Regenerate client secret</button>
        </form>
      </section>
      <section aria-labelledby="h-password">
        <h2 id="h-password">Password</h2>
        <p>
          Reset the password of <code>${data.current}</code>: an OTP goes to
          ${data.account.mobile.slice(0, 2)}******${data.account.mobile.slice(-2)}.
        </p>
        <form method="post" action="/account/password/start">
          ${csrfInput(v.csrf)}
          <button type="submit">Reset password</button>
        </form>
      </section>
      <section aria-labelledby="h-gstin">
        <h2 id="h-gstin">Add a GSTIN under PAN ${data.account.pan}</h2>
        <form method="post" action="/account/gstins" novalidate>
          ${csrfInput(v.csrf)}
          ${field({ name: 'gstin', label: 'GSTIN', hint: `Another registration of PAN ${data.account.pan} (characters 3 to 12).`, autocomplete: 'off', maxlength: 15, required: true }, errors)}
          <button type="submit">Add GSTIN</button>
        </form>
      </section>
      <section aria-labelledby="h-keys">
        <h2 id="h-keys">Keys</h2>
        <ul>
          <li>
            <a href="/sandbox/public-key.pem" download="irp-sandbox-public-key.pem"
              >Download the encryption public key</a
            >
            (RSA-2048: encrypt the login with it)
          </li>
          <li>
            <a href="/sandbox/signing-cert.pem" download="irp-sandbox-signing-cert.pem"
              >Download the signing certificate</a
            >
            (verifies SignedInvoice and SignedQRCode)
          </li>
        </ul>
      </section>`,
  });
}

export function resetPasswordPage(
  v: Viewer,
  target: string,
  errors: Errors,
  sent: boolean,
  flowId: string,
): Html {
  return page({
    title: 'Reset your password',
    section: 'account',
    ...v,
    scripts: ['forms.js'],
    body: html`${errorSummary(errors)}
      ${sent ? notice('info', html`OTP sent by SMS to ${target}. Read it in the <a href="/outbox">outbox</a>.`) : ''}
      <form method="post" action="/account/password" novalidate>
        ${csrfInput(v.csrf)}
        <input type="hidden" name="flow" value="${flowId}" />
        ${field({ name: 'mobileOtp', label: `OTP sent by SMS to ${target}`, inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, required: true }, errors)}
        ${field({ name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true, hint: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters with an upper-case letter, a lower-case letter, a digit and one of ${[...PASSWORD_SPECIALS].join(' ')}.` }, errors)}
        ${field({ name: 'confirm', label: 'New password again', type: 'password', autocomplete: 'new-password', required: true }, errors)}
        <button type="submit">Set new password</button>
      </form>`,
  });
}

export function messagePage(
  v: Viewer,
  title: string,
  message: Html | string,
  status: 'info' | 'warning' = 'info',
): Html {
  return page({ title, ...v, body: notice(status, message) });
}
