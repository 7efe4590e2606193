/** The irp-bridge canonical invoice event, for ERPs without a dedicated connector. */
import { defineConnector } from '../types.js';
import { mapInvoiceEvent } from './map.js';
import type { InvoiceEvent } from './record.js';

export const canonicalConnector = defineConnector<InvoiceEvent>({
  id: 'canonical',
  title: 'irp-bridge canonical invoice event, for ERPs without a connector',
  schemaFile: 'avro/canonical/invoice-event.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  map: mapInvoiceEvent,
});
