/**
 * A cookie-keeping HTTP client for the portal's server-rendered forms, for the tests that need no
 * browser: it reads the CSRF token from the page, posts forms, and does not follow redirects (tests
 * look at them).
 */
export interface PageResponse {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
}

export class FormClient {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<PageResponse> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...(init.headers ?? {}) },
      body: init.body,
    });
    this.remember(res);
    const text = await res.text();
    const csrf = /<meta name="csrf-token" content="([^"]*)"\s*\/?>/.exec(text);
    if (csrf) this.csrf = csrf[1]!;
    return { status: res.status, location: res.headers.get('location'), text, headers: res.headers };
  }

  get(path: string): Promise<PageResponse> {
    return this.request('GET', path);
  }

  /** Posts a form with this browser's CSRF token (unless `csrf` is given, e.g. a wrong one). */
  post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: string; headers?: Record<string, string> } = {},
  ): Promise<PageResponse> {
    const body = new URLSearchParams({ csrf: options.csrf ?? this.csrf, ...fields }).toString();
    return this.request('POST', path, {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.headers ?? {}) },
    });
  }

  /** JSON API call with the CSRF header. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
  async json(path: string, body: unknown): Promise<{ status: number; json: any }> {
    const res = await this.request('POST', path, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrf },
    });
    return { status: res.status, json: JSON.parse(res.text) };
  }
}

/** The visible text of the elements matching a simple class selector, tags stripped. */
export function textOf(htmlText: string, className: string): string[] {
  const re = new RegExp(`<[^>]+class="[^"]*\\b${className}\\b[^"]*"[^>]*>([\\s\\S]*?)</`, 'g');
  return [...htmlText.matchAll(re)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
}

/** OTPs in the outbox page, newest first, by channel. */
export function outboxOtps(htmlText: string): { mobile: string[]; email: string[] } {
  const out = { mobile: [] as string[], email: [] as string[] };
  for (const m of htmlText.matchAll(/data-channel="(mobile|email)">\s*(\d{6}) is your OTP/g))
    out[m[1] as 'mobile' | 'email'].push(m[2]!);
  return out;
}

/** Values of the credentials list (`<dt>label</dt><dd><code>value</code>`). */
export function credentials(htmlText: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of htmlText.matchAll(/<dt>([^<]+)<\/dt>\s*<dd>\s*<code id="cred-\d+">([^<]*)<\/code>/g))
    out[m[1]!] = decode(m[2]!);
  return out;
}

function decode(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
