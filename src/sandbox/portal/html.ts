/**
 * Server-side HTML for the portal: a tagged template that escapes every interpolated value unless it
 * is already `Html` (the output of another `html` template or of `raw`). Pages are plain functions that
 * return `Html`; there is no template language and no build step.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Markup that is already safe: produced by `html` or explicitly trusted with `raw`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Trusts `text` as markup. Only for constant strings and values this module produced. */
export function raw(text: string): Html {
  return new Html(text);
}

/** JSON for display in a `<pre>`: pretty-printed and escaped by the caller's `html`. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
