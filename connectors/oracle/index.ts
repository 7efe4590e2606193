/** Oracle Fusion Receivables transactions (receivablesInvoices with lines and tax lines). */
import { loadAvsc } from '../shared/avsc.js';
import { defineConnector } from '../types.js';
import { mapReceivablesTransaction } from './map.js';
import type { ReceivablesTransactionEvent } from './record.js';

export const oracleConnector = defineConnector<ReceivablesTransactionEvent>({
  id: 'oracle',
  title: 'Oracle Fusion Receivables transaction',
  avroSchema: loadAvsc('avro/oracle/receivables-transaction.avsc', import.meta.url),
  eventKinds: ['generate', 'cancel', 'ewb'],
  map: mapReceivablesTransaction,
});
