/** The ERPNext Sales Invoice event as avsc decodes `avro/erpnext/sales-invoice.avsc`. */

export interface Address {
  name: string;
  address_title: string;
  address_line1: string;
  address_line2: string | null;
  city: string;
  state: string;
  pincode: string | null;
  country: string;
  gstin: string | null;
  gst_state: string | null;
  gst_state_number: string | null;
  phone: string | null;
  email_id: string | null;
}

export interface SalesInvoiceItem {
  idx: number;
  item_code: string;
  item_name: string;
  description: string | null;
  gst_hsn_code: string | null;
  gst_treatment: string | null;
  qty: number;
  uom: string;
  price_list_rate: number;
  discount_percentage: number;
  rate: number;
  amount: number;
  net_amount: number;
  taxable_value: number;
  igst_rate: number;
  cgst_rate: number;
  sgst_rate: number;
  cess_rate: number;
  cess_non_advol_rate: number;
  igst_amount: number;
  cgst_amount: number;
  sgst_amount: number;
  cess_amount: number;
  cess_non_advol_amount: number;
  batch_no: string | null;
  barcode: string | null;
  sales_order: string | null;
}

export interface SalesTaxesAndCharges {
  idx: number;
  charge_type: string;
  account_head: string;
  description: string;
  rate: number;
  tax_amount: number;
  base_tax_amount: number | null;
  gst_tax_type: string | null;
}

export interface SalesInvoice {
  name: string;
  posting_date: string;
  company: string;
  company_gstin: string | null;
  company_address: Address;
  customer: string;
  customer_name: string;
  billing_address_gstin: string | null;
  customer_address: Address;
  shipping_address: Address | null;
  dispatch_address: Address | null;
  port_address: Address | null;
  place_of_supply: string;
  gst_category: string;
  is_export_with_gst: number;
  is_reverse_charge: number;
  ecommerce_gstin: string | null;
  is_return: number;
  return_against: string | null;
  return_against_posting_date: string | null;
  is_debit_note: number;
  currency: string;
  conversion_rate: number;
  port_code: string | null;
  shipping_bill_number: string | null;
  shipping_bill_date: string | null;
  items: SalesInvoiceItem[];
  taxes: SalesTaxesAndCharges[];
  net_total: number;
  discount_amount: number;
  is_cash_or_non_trade_discount: number;
  base_discount_amount: number | null;
  apply_discount_on: string;
  grand_total: number;
  base_grand_total: number | null;
  rounding_adjustment: number;
  base_rounding_adjustment: number | null;
  rounded_total: number;
  base_rounded_total: number | null;
  disable_rounded_total: number;
  payment_terms_template: string | null;
  due_date: string | null;
  irn: string | null;
}

export interface SalesInvoiceEvent {
  event: 'on_submit' | 'on_cancel' | 'e_waybill';
  event_id: string;
  doc: SalesInvoice;
  cancel: { reason: string; remark: string } | null;
  e_waybill: {
    gst_transporter_id: string | null;
    transporter_name: string | null;
    mode_of_transport: string;
    distance: number;
    lr_no: string | null;
    lr_date: string | null;
    vehicle_no: string | null;
    gst_vehicle_type: string | null;
  } | null;
}
