/** Microsoft Dynamics 365 Finance sales invoices (SalesInvoiceHeaderV2/LineV2 + GST tax transactions). */
import { defineConnector } from '../types.js';
import { mapSalesInvoice } from './map.js';
import type { SalesInvoiceEvent } from './record.js';

export const d365Connector = defineConnector<SalesInvoiceEvent>({
  id: 'd365',
  title: 'Microsoft Dynamics 365 Finance sales invoice (header, lines, GST tax transactions)',
  schemaFile: 'avro/d365/sales-invoice.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  map: mapSalesInvoice,
});
