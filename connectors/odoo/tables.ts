/**
 * Odoo site tables: the account tags that l10n_in puts on GST tax repartition lines and on taxed base
 * lines, the GST treatments that are e-invoiced, and the l10n_in_edi_ewaybill transport modes. The
 * defaults are l10n_in's own (addons/l10n_in/data/account.account.tag.csv); a database whose chart
 * renames or adds tags overrides them per source.
 */

/** The GST head a tax amount belongs to: l10n_in_edi's `line_code`, without the `_non_advol` split. */
export type GstHead = 'igst' | 'cgst' | 'sgst' | 'cess' | 'state_cess';

export interface TaxTag {
  head: GstHead;
  /** The `(RC)` tags sit on a reverse-charge tax's −100 % repartition line: the recipient's liability. */
  reverseCharge: boolean;
}

export interface OdooTables {
  /** account.account.tag name (compared case-insensitively) on a tax repartition line → GST head. */
  taxTags: Readonly<Record<string, TaxTag>>;
  /**
   * Base tags that put a line under GST (l10n_in_edi `_get_l10n_in_gst_tags`) and those of exempt,
   * nil-rated and non-GST lines (`_get_l10n_in_non_taxable_tags`). A product line must carry one of them,
   * as l10n_in_edi's `_check_move_configuration` requires.
   */
  gstBaseTags: readonly string[];
  nonTaxableBaseTags: readonly string[];
}

const tag = (head: GstHead, reverseCharge = false): TaxTag => ({ head, reverseCharge });

export const ODOO_TABLES: OdooTables = {
  taxTags: {
    IGST: tag('igst'),
    CGST: tag('cgst'),
    SGST: tag('sgst'),
    CESS: tag('cess'),
    'STATE CESS': tag('state_cess'),
    'IGST (RC)': tag('igst', true),
    'CGST (RC)': tag('cgst', true),
    'SGST (RC)': tag('sgst', true),
    'CESS (RC)': tag('cess', true),
  },
  gstBaseTags: ['BASE SGST', 'BASE CGST', 'BASE IGST', 'BASE CESS', 'ZERO-RATED'],
  nonTaxableBaseTags: ['EXEMPT', 'NIL-RATED', 'NON GST SUPPLIES'],
};

/** `l10n_in_gst_treatment` values l10n_in_edi e-invoices (`_get_move_applicability`). */
export const EINVOICED_TREATMENTS = [
  'regular',
  'composition',
  'overseas',
  'special_economic_zone',
  'deemed_export',
] as const;

/** `l10n_in_mode`: 0 is "Managed by Transporter" (no mode of its own), 1–4 are the IRP's TransMode. */
export const ODOO_TRANSPORT_MODES = ['0', '1', '2', '3', '4'] as const;
