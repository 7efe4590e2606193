/** SAP S/4HANA billing documents (VBRK/VBRP/PRCD_ELEMENTS). */
import { loadAvsc } from '../shared/avsc.js';
import { defineConnector } from '../types.js';
import { mapBillingDocument } from './map.js';
import type { BillingDocumentEvent } from './record.js';

export const sapConnector = defineConnector<BillingDocumentEvent>({
  id: 'sap',
  title: 'SAP S/4HANA billing document',
  avroSchema: loadAvsc('avro/sap/billing-document.avsc', import.meta.url),
  eventKinds: ['generate', 'cancel', 'ewb'],
  map: mapBillingDocument,
});
