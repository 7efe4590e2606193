/** The Odoo account.move event as avsc decodes `avro/odoo/account-move.avsc` (Odoo's own field names). */

export interface Many2one {
  id: number;
  name: string;
}

export interface CountryState {
  id: number;
  name: string;
  code: string;
  l10n_in_tin: string | null;
}

export interface Country {
  id: number;
  name: string;
  code: string;
}

export interface ResPartner {
  id: number;
  name: string;
  commercial_partner_id: Many2one;
  vat: string | null;
  street: string | null;
  street2: string | null;
  city: string | null;
  zip: string | null;
  state_id: CountryState | null;
  country_id: Country | null;
  phone: string | null;
  email: string | null;
}

export interface ResCompany {
  id: number;
  name: string;
  partner_id: ResPartner;
}

export interface AccountTax {
  id: number;
  name: string;
  amount: number;
  amount_type: string;
  l10n_in_reverse_charge: boolean;
}

export interface TaxRepartitionLine {
  id: number;
  factor_percent: number;
  repartition_type: string;
  tag_ids: string[];
}

export interface LineTaxDetail {
  tax_id: AccountTax;
  tax_repartition_line_id: TaxRepartitionLine;
  base_amount: number;
  base_amount_currency: number;
  tax_amount: number;
  tax_amount_currency: number;
}

export interface ProductProduct {
  id: number;
  display_name: string;
  type: string;
  default_code: string | null;
  barcode: string | null;
}

export interface UomUom {
  id: number;
  name: string;
  l10n_in_code: string | null;
}

export interface AccountMoveLine {
  id: number;
  sequence: number;
  display_type: string;
  name: string | null;
  product_id: ProductProduct | null;
  product_uom_id: UomUom | null;
  l10n_in_hsn_code: string | null;
  quantity: number;
  price_unit: number;
  discount: number;
  price_subtotal: number;
  price_total: number;
  balance: number;
  amount_currency: number;
  currency_rate: number;
  tax_ids: AccountTax[];
  tax_tag_ids: string[];
  tax_line_id: AccountTax | null;
  tax_details: LineTaxDetail[];
}

export interface MoveRef {
  id: number;
  name: string;
  invoice_date: string | null;
}

export interface AccountMove {
  id: number;
  name: string;
  move_type: string;
  state: string;
  invoice_date: string;
  company_id: ResCompany;
  partner_id: ResPartner;
  partner_shipping_id: ResPartner | null;
  l10n_in_warehouse_address: ResPartner | null;
  l10n_in_gst_treatment: string | null;
  l10n_in_state_id: CountryState | null;
  l10n_in_gstin: string | null;
  l10n_in_shipping_bill_number: string | null;
  l10n_in_shipping_bill_date: string | null;
  l10n_in_shipping_port_code_id: { code: string; name: string } | null;
  currency_id: Many2one;
  company_currency_id: Many2one;
  debit_origin_id: MoveRef | null;
  reversed_entry_id: MoveRef | null;
  invoice_payment_term_id: Many2one | null;
  amount_untaxed: number;
  amount_tax: number;
  amount_total: number;
  amount_untaxed_signed: number;
  amount_tax_signed: number;
  amount_total_signed: number;
  line_ids: AccountMoveLine[];
}

export interface AccountMoveEvent {
  event: 'post' | 'cancel' | 'ewaybill';
  event_id: string;
  irn: string | null;
  move: AccountMove;
  cancel: { l10n_in_edi_cancel_reason: string; l10n_in_edi_cancel_remarks: string | null } | null;
  ewaybill: {
    l10n_in_distance: number;
    l10n_in_mode: string;
    l10n_in_transporter_id: { name: string; vat: string | null } | null;
    l10n_in_vehicle_no: string | null;
    l10n_in_vehicle_type: string | null;
    l10n_in_transportation_doc_no: string | null;
    l10n_in_transportation_doc_date: string | null;
  } | null;
}
