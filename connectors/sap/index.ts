/** SAP S/4HANA billing documents (VBRK/VBRP/PRCD_ELEMENTS). */
import { defineConnector } from '../types.js';
import { mapBillingDocument } from './map.js';
import type { BillingDocumentEvent } from './record.js';
import { SAP_TABLES } from './tables.js';

export const sapConnector = defineConnector<BillingDocumentEvent, typeof SAP_TABLES>({
  id: 'sap',
  title: 'SAP S/4HANA billing document (VBRK/VBRP, pricing conditions JOCG/JOSG/JOUG/JOIG and cess)',
  schemaFile: 'avro/sap/billing-document.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  tables: SAP_TABLES,
  map: mapBillingDocument,
});
