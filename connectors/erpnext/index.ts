/** ERPNext Sales Invoices (with india-compliance GST fields). */
import { defineConnector } from '../types.js';
import { mapSalesInvoice } from './map.js';
import type { SalesInvoiceEvent } from './record.js';
import { ERPNEXT_TABLES } from './tables.js';

export const erpnextConnector = defineConnector<SalesInvoiceEvent, typeof ERPNEXT_TABLES>({
  id: 'erpnext',
  title: 'ERPNext Sales Invoice (items, taxes table, india-compliance fields)',
  schemaFile: 'avro/erpnext/sales-invoice.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  tables: ERPNEXT_TABLES,
  map: mapSalesInvoice,
});
