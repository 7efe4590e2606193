/** Tally Prime sales, credit-note and debit-note vouchers. */
import { loadAvsc } from '../shared/avsc.js';
import { defineConnector } from '../types.js';
import { mapVoucher } from './map.js';
import type { TallyVoucherEvent } from './record.js';

export const tallyConnector = defineConnector<TallyVoucherEvent>({
  id: 'tally',
  title: 'Tally Prime voucher',
  avroSchema: loadAvsc('avro/tally/voucher.avsc', import.meta.url),
  eventKinds: ['generate', 'cancel', 'ewb'],
  map: mapVoucher,
});
