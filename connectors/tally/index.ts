/** Tally Prime sales, credit-note and debit-note vouchers. */
import { defineConnector } from '../types.js';
import { mapVoucher } from './map.js';
import type { TallyVoucherEvent } from './record.js';
import { TALLY_TABLES } from './tables.js';

export const tallyConnector = defineConnector<TallyVoucherEvent, typeof TALLY_TABLES>({
  id: 'tally',
  title: 'Tally Prime voucher (inventory entries, GST duty ledgers)',
  schemaFile: 'avro/tally/voucher.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  tables: TALLY_TABLES,
  map: mapVoucher,
});
