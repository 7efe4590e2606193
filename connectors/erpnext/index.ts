/** ERPNext Sales Invoices (with india-compliance GST fields). */
import { loadAvsc } from '../shared/avsc.js';
import { defineConnector } from '../types.js';
import { mapSalesInvoice } from './map.js';
import type { SalesInvoiceEvent } from './record.js';

export const erpnextConnector = defineConnector<SalesInvoiceEvent>({
  id: 'erpnext',
  title: 'ERPNext Sales Invoice',
  avroSchema: loadAvsc('avro/erpnext/sales-invoice.avsc', import.meta.url),
  eventKinds: ['generate', 'cancel', 'ewb'],
  map: mapSalesInvoice,
});
