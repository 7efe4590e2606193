/** The Oracle Fusion Receivables event as avsc decodes `avro/oracle/receivables-transaction.avsc`. */

export interface SiteAddress {
  Address1: string;
  Address2: string | null;
  City: string;
  State: string;
  PostalCode: string;
  Country: string;
}

export interface TaxLine {
  TaxRegimeCode: string;
  Tax: string;
  TaxRateCode: string;
  TaxRate: number;
  TaxableAmount: number;
  TaxAmount: number;
}

export interface TransactionLine {
  CustomerTransactionLineId: number;
  LineNumber: number;
  LineType: string;
  MemoLineName: string | null;
  ItemNumber: string | null;
  Description: string;
  ProductType: string | null;
  ProductFiscalClassification: string | null;
  Quantity: number | null;
  UnitOfMeasure: string | null;
  UnitStandardPrice: number | null;
  UnitSellingPrice: number | null;
  LineAmount: number;
  SalesOrder: string | null;
  TaxLines: TaxLine[];
}

export interface Transaction {
  CustomerTransactionId: number;
  TransactionNumber: string;
  TransactionDate: number;
  TransactionClass: string;
  TransactionType: string;
  TransactionSource: string;
  BusinessUnit: string;
  LegalEntityName: string;
  InvoiceCurrencyCode: string;
  ConversionRate: number | null;
  FirstPartyTaxRegistrationNumber: string | null;
  FirstPartyAddress: SiteAddress;
  FirstPartyPhone: string | null;
  FirstPartyEmail: string | null;
  BillToCustomerNumber: string;
  BillToCustomerName: string;
  ThirdPartyTaxRegistrationNumber: string | null;
  BillToAddress: SiteAddress;
  ShipToCustomerName: string | null;
  ShipToTaxRegistrationNumber: string | null;
  ShipToAddress: SiteAddress | null;
  PaymentTermsName: string | null;
  DueDate: number | null;
  PreviousTransactionNumber: string | null;
  PreviousTransactionDate: number | null;
  AmountDueOriginal: number | null;
  IndiaGst: {
    SupplyType: string;
    ReverseCharge: string;
    PlaceOfSupply: string | null;
    IgstOnIntraState: string;
    EcommerceGstin: string | null;
    PortCode: string | null;
    ShippingBillNumber: string | null;
    ShippingBillDate: number | null;
    ExportCountry: string | null;
    ExportCurrency: string | null;
    Irn: string | null;
  };
}

export interface ReceivablesTransactionEvent {
  EventType: 'TRANSACTION_COMPLETED' | 'EINVOICE_CANCEL_REQUESTED' | 'EWAYBILL_REQUESTED';
  EventId: string;
  Transaction: Transaction;
  Lines: TransactionLine[];
  CancelRequest: { ReasonCode: string; Comments: string } | null;
  Transport: {
    TransporterId: string | null;
    TransporterName: string | null;
    TransportMode: string;
    DistanceKm: number;
    TransportDocNumber: string | null;
    TransportDocDate: number | null;
    VehicleNumber: string | null;
    VehicleType: string | null;
  } | null;
}
