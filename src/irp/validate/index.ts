/**
 * The offline validator: every rule of README §9 and the schema's own constraints, all findings at once,
 * each with its IRP code, NIC's message and a JSON path. The sandbox runs exactly this on Generate IRN,
 * the connector runs it before spending an API call, so both answer with the same codes.
 */
import { isRight } from 'fp-ts/lib/Either.js';
import { finding, type Finding } from '../errors.js';
import { InvoiceCodec, type Invoice } from '../schema/invoice.js';
import { conformToCodec, isCanonical, normalizeToCodec } from '../schema/normalize.js';
import { DEFAULT_MAX_ITEMS, DEFAULT_TOLERANCE, type ValidationContext } from './context.js';
import { documentDateRules, exportDetailRules, precedingDocumentRule } from './rules/document.js';
import { itemListRules, itemRules } from './rules/items.js';
import { gstinStateRules, pinRules, registrationRules, stateCodeRules } from './rules/parties.js';
import { ecommerceRule, recipientRules, reverseChargeRule, sezRules, taxHeadRules } from './rules/supply.js';
import { totalRules } from './rules/totals.js';
import type { LooseInvoice, Rule, RuleContext, Warning } from './rules/types.js';
import { schemaFindings } from './schema-findings.js';
import { invoiceWarnings } from './warnings.js';

export type { ValidationContext, TaxpayerStatus } from './context.js';
export type { Warning } from './rules/types.js';

export interface ValidationResult {
  valid: boolean;
  errors: Finding[];
  warnings: Warning[];
  /** The normalised invoice (canonical names, no nulls), present when it decoded against the schema. */
  invoice?: Invoice;
}

/** The business rules in the order their findings are listed. */
export const BUSINESS_RULES: readonly Rule[] = [
  documentDateRules,
  precedingDocumentRule,
  recipientRules,
  reverseChargeRule,
  ecommerceRule,
  sezRules,
  stateCodeRules,
  gstinStateRules,
  pinRules,
  registrationRules,
  itemListRules,
  taxHeadRules,
  itemRules,
  totalRules,
  exportDetailRules,
];

/**
 * How deep a JSON document may nest. The deepest path of the schema is Invoice → ItemList → item →
 * AttribDtls → entry → value (6 levels); 64 leaves room for unknown members, which are ignored, while a
 * document nested thousands of levels deep (a few KB of brackets) is refused with one finding instead of
 * exhausting the stack of every recursive step after it.
 */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of a JSON value, up to `limit + 1` (iterative: never recurses). */
export function jsonDepth(input: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[input, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(value) ? value : Object.values(value as object))
      stack.push([child, depth + 1]);
  }
  return max;
}

function isEmptyPayload(input: unknown): boolean {
  return (
    input === null ||
    input === undefined ||
    (typeof input === 'string' && input.trim() === '') ||
    (typeof input === 'object' && !Array.isArray(input) && Object.keys(input).length === 0)
  );
}

/** Every business rule's findings, each (code, path) once, after the schema's own findings. */
function ruleFindings(loose: LooseInvoice, ctx: RuleContext, errors: Finding[]): void {
  const reported = new Set(errors.map((e) => `${e.code}@${e.path}`));
  for (const rule of BUSINESS_RULES) {
    for (const f of rule(loose, ctx)) {
      const key = `${f.code}@${f.path}`;
      if (!reported.has(key)) errors.push(f);
      reported.add(key);
    }
  }
}

export function validateInvoice(input: unknown, context: ValidationContext): ValidationResult {
  const ctx: RuleContext = {
    ...context,
    maxItems: context.maxItems ?? DEFAULT_MAX_ITEMS,
    tolerance: context.tolerance ?? DEFAULT_TOLERANCE,
  };
  // The common case (a connector's output, a well-formed request): canonical names, no nulls, every
  // value as the schema wants it. Normalising and decoding would return it unchanged with no notes, so
  // the rules read it as it is and it is the decoded invoice.
  if (isCanonical(InvoiceCodec, input)) {
    const invoice = input as Invoice;
    const errors: Finding[] = [];
    ruleFindings(invoice, ctx, errors);
    return { valid: errors.length === 0, errors, warnings: invoiceWarnings(invoice, []), invoice };
  }
  if (isEmptyPayload(input)) return { valid: false, errors: [finding('2255', '')], warnings: [] };
  if (jsonDepth(input) > MAX_JSON_DEPTH)
    return {
      valid: false,
      errors: [finding('2140', '', [], `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`)],
      warnings: [],
    };

  if (typeof input !== 'object' || Array.isArray(input))
    return {
      valid: false,
      errors: [finding('2140', '', [], 'the payload must be a JSON object')],
      warnings: [],
    };

  const { value, notes } = normalizeToCodec(InvoiceCodec, input);
  const decoded = InvoiceCodec.decode(value);
  const errors: Finding[] = isRight(decoded) ? [] : schemaFindings(decoded.left);
  // Business rules read the decoded values where decoding succeeded (coerced numbers and strings),
  // and the normalised input otherwise, so one bad field does not hide findings in the others.
  const loose = (isRight(decoded) ? decoded.right : conformToCodec(InvoiceCodec, value)) as LooseInvoice;
  ruleFindings(loose, ctx, errors);
  const warnings = invoiceWarnings(loose, notes);
  const result: ValidationResult = { valid: errors.length === 0, errors, warnings };
  if (isRight(decoded)) result.invoice = decoded.right;
  return result;
}

/** What identifies a document to the IRP (the IRN's inputs), read before any validation. */
export interface DocumentIdentity {
  gstin: string;
  docType: 'INV' | 'CRN' | 'DBN';
  docNo: string;
  docDate: string;
}

/**
 * The document identity of a payload whether or not the rest of it is valid: names bound as the IRP
 * binds them (case-insensitive, `Typ` upper-cased). Undefined when any of the four is missing or not
 * text of the right shape. The sandbox answers 2150 for an already-registered document from this alone,
 * before validation (docs/sandbox.md, "Ordering").
 */
export function documentIdentity(input: unknown): DocumentIdentity | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  if (jsonDepth(input) > MAX_JSON_DEPTH) return undefined;
  const { value } = normalizeToCodec(InvoiceCodec, input);
  const inv = conformToCodec(InvoiceCodec, value) as LooseInvoice;
  const gstin = inv.SellerDtls?.Gstin;
  const docType = inv.DocDtls?.Typ;
  const docNo = inv.DocDtls?.No;
  const docDate = inv.DocDtls?.Dt;
  if (typeof gstin !== 'string' || !/^[0-9]{2}[0-9A-Z]{13}$/i.test(gstin)) return undefined;
  if (docType !== 'INV' && docType !== 'CRN' && docType !== 'DBN') return undefined;
  if (typeof docNo !== 'string' || !/^[a-zA-Z0-9/-]{1,16}$/.test(docNo)) return undefined;
  if (typeof docDate !== 'string' || !/^\d{2}\/\d{2}\/\d{4}$/.test(docDate)) return undefined;
  return { gstin: gstin.toUpperCase(), docType, docNo, docDate };
}
