/**
 * Odoo site tables: the account tags l10n_in puts on GST tax repartition lines and on taxed base lines,
 * and units without an l10n_in UQC code. The defaults are l10n_in's own
 * (addons/l10n_in/data/account.account.tag.csv); a source config's `tables` section overrides them for a
 * database whose chart renames tags, adds its own (a custom cess) or whose units lack codes.
 */
import { caseInsensitiveKey, oneOf, uqcValue, type TableSpec } from '../shared/site-tables.js';

/**
 * The GST head of a tax amount: l10n_in_edi's `line_code`, without its `_non_advol` split (that follows
 * the tax's `amount_type`). The `_rc` heads are the reverse-charge counterparts (the `(RC)` tags on a
 * reverse-charge tax's −100 % repartition line): the recipient's liability, never an item's tax.
 */
export const GST_HEADS = [
  'igst',
  'cgst',
  'sgst',
  'cess',
  'state_cess',
  'igst_rc',
  'cgst_rc',
  'sgst_rc',
  'cess_rc',
  'state_cess_rc',
] as const;
export type GstHead = (typeof GST_HEADS)[number];

/** What a base tag on a product line says (l10n_in_edi `_get_l10n_in_gst_tags` / `_get_l10n_in_non_taxable_tags`). */
export const BASE_TAG_KINDS = ['gst', 'non_taxable'] as const;
export type BaseTagKind = (typeof BASE_TAG_KINDS)[number];

export const L10N_IN_TAX_TAGS: Readonly<Record<string, GstHead>> = {
  IGST: 'igst',
  CGST: 'cgst',
  SGST: 'sgst',
  CESS: 'cess',
  'STATE CESS': 'state_cess',
  'IGST (RC)': 'igst_rc',
  'CGST (RC)': 'cgst_rc',
  'SGST (RC)': 'sgst_rc',
  'CESS (RC)': 'cess_rc',
};

export const L10N_IN_BASE_TAGS: Readonly<Record<string, BaseTagKind>> = {
  'BASE SGST': 'gst',
  'BASE CGST': 'gst',
  'BASE IGST': 'gst',
  'BASE CESS': 'gst',
  'ZERO-RATED': 'gst',
  EXEMPT: 'non_taxable',
  'NIL-RATED': 'non_taxable',
  'NON GST SUPPLIES': 'non_taxable',
};

export const ODOO_TABLES = {
  taxTags: {
    doc: 'account.account.tag name on a tax repartition line → GST head (`_rc`: the reverse-charge counterpart)',
    values: oneOf(GST_HEADS),
    key: caseInsensitiveKey,
    defaults: L10N_IN_TAX_TAGS,
  } satisfies TableSpec<GstHead>,
  baseTags: {
    doc: 'account.account.tag name on a product line (tax_tag_ids) → gst or non_taxable; a line needs one',
    values: oneOf(BASE_TAG_KINDS),
    key: caseInsensitiveKey,
    defaults: L10N_IN_BASE_TAGS,
  } satisfies TableSpec<BaseTagKind>,
  units: {
    doc: 'uom.uom name → UQC, for units without l10n_in_code (otherwise OTH, as l10n_in_edi sends)',
    values: uqcValue,
    key: caseInsensitiveKey,
    defaults: {},
  } satisfies TableSpec<string>,
};

export type OdooTables = {
  readonly taxTags: Readonly<Record<string, GstHead>>;
  readonly baseTags: Readonly<Record<string, BaseTagKind>>;
  readonly units: Readonly<Record<string, string>>;
};

/** `l10n_in_gst_treatment` values l10n_in_edi e-invoices (`_get_move_applicability`). */
export const EINVOICED_TREATMENTS = [
  'regular',
  'composition',
  'overseas',
  'special_economic_zone',
  'deemed_export',
] as const;
