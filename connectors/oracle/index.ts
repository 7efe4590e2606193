/** Oracle Fusion Receivables transactions (receivablesInvoices with lines and tax lines). */
import { defineConnector } from '../types.js';
import { mapReceivablesTransaction } from './map.js';
import type { ReceivablesTransactionEvent } from './record.js';

export const oracleConnector = defineConnector<ReceivablesTransactionEvent>({
  id: 'oracle',
  title: 'Oracle Fusion Receivables transaction (lines, tax lines, India GST flexfield)',
  schemaFile: 'avro/oracle/receivables-transaction.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  map: mapReceivablesTransaction,
});
