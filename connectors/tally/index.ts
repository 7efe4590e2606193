/** Tally Prime sales, credit-note and debit-note vouchers. */
import { defineConnector } from '../types.js';
import { mapVoucher } from './map.js';
import type { TallyVoucherEvent } from './record.js';

export const tallyConnector = defineConnector<TallyVoucherEvent>({
  id: 'tally',
  title: 'Tally Prime voucher (inventory entries, GST duty ledgers)',
  schemaFile: 'avro/tally/voucher.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  map: mapVoucher,
});
