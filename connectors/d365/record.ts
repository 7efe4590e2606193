/** The Dynamics 365 Finance sales invoice event as avsc decodes `avro/d365/sales-invoice.avsc`. */

export interface SalesInvoiceHeader {
  dataAreaId: string;
  InvoiceNumber: string;
  InvoiceDate: string;
  IsDebitNote: string;
  SalesOrderNumber: string | null;
  CurrencyCode: string;
  ExchangeRate: string | null;
  CompanyName: string;
  CompanyGSTIN: string | null;
  CompanyAddressStreet: string;
  CompanyAddressCity: string;
  CompanyAddressState: string;
  CompanyGSTStateCode: string | null;
  CompanyAddressZipCode: string;
  CompanyPhone: string | null;
  CompanyEmail: string | null;
  InvoiceCustomerAccountNumber: string;
  CustomerName: string;
  CustomerGSTIN: string | null;
  GSTCustomerType: string;
  WithoutPaymentOfTax: string;
  ReverseCharge: string;
  IGSTOnIntraState: string;
  GSTPlaceOfSupply: string | null;
  InvoiceAddressStreet: string;
  InvoiceAddressCity: string;
  InvoiceAddressState: string;
  InvoiceAddressGSTStateCode: string | null;
  InvoiceAddressZipCode: string;
  InvoiceAddressCountryRegionId: string;
  DeliveryName: string | null;
  DeliveryGSTIN: string | null;
  DeliveryAddressStreet: string | null;
  DeliveryAddressCity: string | null;
  DeliveryAddressState: string | null;
  DeliveryAddressGSTStateCode: string | null;
  DeliveryAddressZipCode: string | null;
  DeliveryAddressCountryRegionId: string | null;
  TotalDiscountAmount: string;
  TotalChargeAmount: string;
  RoundOff: string;
  TotalTaxAmount: string;
  TotalInvoiceAmount: string;
  PaymentTermsName: string | null;
  OriginalInvoiceNumber: string | null;
  OriginalInvoiceDate: string | null;
  ShippingBillNumber: string | null;
  ShippingBillDate: string | null;
  PortCode: string | null;
  ExportCurrencyCode: string | null;
  IRN: string | null;
}

export interface SalesInvoiceLine {
  LineNumber: number;
  ItemNumber: string | null;
  ProductName: string;
  HSNCode: string | null;
  SACCode: string | null;
  InvoicedQuantity: string;
  SalesUnitSymbol: string;
  SalesPrice: string;
  LineDiscountAmount: string;
  LineChargeAmount: string;
  LineAmount: string;
}

export interface TaxTransaction {
  SourceLineNumber: number;
  TaxComponent: string;
  TaxCode: string;
  TaxValue: string;
  TaxBaseAmount: string;
  TaxAmount: string;
}

export interface SalesInvoiceEvent {
  EventType: 'INVOICE_POSTED' | 'EINVOICE_CANCEL' | 'EWAYBILL_REQUEST';
  EventId: string;
  Header: SalesInvoiceHeader;
  Lines: SalesInvoiceLine[];
  TaxTransactions: TaxTransaction[];
  Cancel: { CancelReason: string; CancelRemarks: string } | null;
  EWayBill: {
    TransporterId: string | null;
    TransporterName: string | null;
    ModeOfTransport: string;
    DistanceKm: number;
    TransportDocNumber: string | null;
    TransportDocDate: string | null;
    VehicleNumber: string | null;
    VehicleType: string | null;
  } | null;
}
