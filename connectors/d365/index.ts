/** Microsoft Dynamics 365 Finance sales invoices (SalesInvoiceHeaderV2/LineV2 + GST tax transactions). */
import { defineConnector } from '../types.js';
import { mapSalesInvoice } from './map.js';
import type { SalesInvoiceEvent } from './record.js';
import { D365_TABLES } from './tables.js';

export const d365Connector = defineConnector<SalesInvoiceEvent, typeof D365_TABLES>({
  id: 'd365',
  title: 'Microsoft Dynamics 365 Finance sales invoice (header, lines, GST tax transactions)',
  schemaFile: 'avro/d365/sales-invoice.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  tables: D365_TABLES,
  map: mapSalesInvoice,
});
