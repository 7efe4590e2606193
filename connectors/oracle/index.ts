/** Oracle Fusion Receivables transactions (receivablesInvoices with lines and tax lines). */
import { defineConnector } from '../types.js';
import { mapReceivablesTransaction } from './map.js';
import type { ReceivablesTransactionEvent } from './record.js';
import { ORACLE_TABLES } from './tables.js';

export const oracleConnector = defineConnector<ReceivablesTransactionEvent, typeof ORACLE_TABLES>({
  id: 'oracle',
  title: 'Oracle Fusion Receivables transaction (lines, tax lines, India GST flexfield)',
  schemaFile: 'avro/oracle/receivables-transaction.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  tables: ORACLE_TABLES,
  map: mapReceivablesTransaction,
});
