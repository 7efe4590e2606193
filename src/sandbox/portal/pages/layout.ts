/**
 * The page frame every portal page shares (landmarks, skip link, navigation with `aria-current`) and
 * the form parts (labelled fields, an error summary that links to each field, hidden CSRF input).
 */
import { html, type Html, type Interpolation } from '../html.js';

export interface PageFrame {
  title: string;
  /** Which navigation entry is current. */
  section?: 'home' | 'docs' | 'console' | 'register' | 'login' | 'account' | 'outbox';
  /** Logged-in user name, if any. */
  user?: string;
  csrf: string;
  /** Module scripts under /assets/. */
  scripts?: string[];
  body: Html;
}

const NAV: {
  section: NonNullable<PageFrame['section']>;
  href: string;
  label: string;
  when: 'any' | 'in' | 'out';
}[] = [
  { section: 'home', href: '/', label: 'Home', when: 'any' },
  { section: 'docs', href: '/docs', label: 'API docs', when: 'any' },
  { section: 'console', href: '/console', label: 'Console', when: 'any' },
  { section: 'outbox', href: '/outbox', label: 'Outbox', when: 'any' },
  { section: 'register', href: '/register', label: 'Register', when: 'out' },
  { section: 'login', href: '/login', label: 'Log in', when: 'out' },
  { section: 'account', href: '/account', label: 'Account', when: 'in' },
];

export function page(frame: PageFrame): Html {
  const items = NAV.filter((n) => n.when === 'any' || (n.when === 'in') === Boolean(frame.user));
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content="${frame.csrf}" />
        <title>${frame.title} · IRP sandbox</title>
        <link rel="stylesheet" href="/assets/portal.css" />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <a class="skip" href="#main">Skip to main content</a>
        <header class="top">
          <a class="brand" href="/">irp-bridge <span>IRP sandbox</span></a>
          <nav aria-label="Main">
            <ul>
              ${items.map(
                (n) =>
                  html`<li>
                    <a href="${n.href}" ${n.section === frame.section ? html` aria-current="page"` : ''}
                      >${n.label}</a
                    >
                  </li>`,
              )}
              ${
                frame.user
                  ? html`<li>
                      <form method="post" action="/logout" class="inline">
                        <input type="hidden" name="csrf" value="${frame.csrf}" /><button
                          type="submit"
                          class="link"
                        >
                          Log out ${frame.user}
                        </button>
                      </form>
                    </li>`
                  : ''
              }
            </ul>
          </nav>
        </header>
        <main id="main" tabindex="-1">
          <h1>${frame.title}</h1>
          ${frame.body}
        </main>
        <footer class="bottom">
          <p>
            A simulator of NIC's e-invoice IRP for development and tests. Nothing it signs is valid anywhere
            else.
          </p>
        </footer>
        ${(frame.scripts ?? []).map((s) => html`<script type="module" src="/assets/${s}"></script>`)}
      </body>
    </html>`;
}

export interface FieldSpec {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'email' | 'tel' | 'password' | 'search';
  hint?: string;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'email' | 'tel';
  required?: boolean;
  pattern?: string;
  maxlength?: number;
  id?: string;
}

export function field(spec: FieldSpec, errors: Record<string, string> = {}): Html {
  const id = spec.id ?? `f-${spec.name}`;
  const error = errors[spec.name];
  const describedBy = [spec.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${error ? ' has-error' : ''}">
    <label for="${id}">${spec.label}</label>
    ${spec.hint ? html`<p class="hint" id="${id}-hint">${spec.hint}</p>` : ''}
    ${error ? html`<p class="error" id="${id}-error"><span class="visually-hidden">Error: </span>${error}</p>` : ''}
    <input
      id="${id}"
      name="${spec.name}"
      type="${spec.type ?? 'text'}"
      value="${spec.value ?? ''}"
      ${
        spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''
      }${spec.inputmode ? html` inputmode="${spec.inputmode}"` : ''}${spec.required ? html` required` : ''}${
        spec.maxlength ? html` maxlength="${String(spec.maxlength)}"` : ''
      }${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}
    />
  </div>`;
}

/** The error summary at the top of a form: one link per field error, focused by the page script. */
export function errorSummary(errors: Record<string, string>, fieldIds: Record<string, string> = {}): Html {
  const entries = Object.entries(errors);
  if (entries.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
    <h2 id="error-summary-title">There is a problem</h2>
    <ul>
      ${entries.map(([name, message]) =>
        name === 'form'
          ? html`<li>${message}</li>`
          : html`<li><a href="#${fieldIds[name] ?? `f-${name}`}">${message}</a></li>`,
      )}
    </ul>
  </div>`;
}

export function csrfInput(csrf: string): Html {
  return html`<input type="hidden" name="csrf" value="${csrf}" />`;
}

export function notice(kind: 'success' | 'info' | 'warning', content: Interpolation): Html {
  return html`<div class="notice ${kind}" role="${kind === 'warning' ? 'alert' : 'status'}">${content}</div>`;
}

/** A definition list of credentials with copy buttons (the console script wires them). */
export function credentialList(rows: [string, string][]): Html {
  return html`<dl class="credentials">
    ${rows.map(
      ([label, value], i) =>
        html`<div>
          <dt>${label}</dt>
          <dd>
            <code id="cred-${String(i)}">${value}</code>
            <button type="button" class="copy" data-copy="cred-${String(i)}">
              Copy<span class="visually-hidden"> ${label}</span>
            </button>
          </dd>
        </div>`,
    )}
  </dl>`;
}
