/** Odoo 17 customer invoices, credit notes and debit notes (account.move with l10n_in / l10n_in_edi). */
import { defineConnector } from '../types.js';
import { mapAccountMove } from './map.js';
import type { AccountMoveEvent } from './record.js';
import { ODOO_TABLES } from './tables.js';

export const odooConnector = defineConnector<AccountMoveEvent, typeof ODOO_TABLES>({
  id: 'odoo',
  title: 'Odoo 17 account.move (customer invoices, credit and debit notes; l10n_in, l10n_in_edi fields)',
  schemaFile: 'avro/odoo/account-move.avsc',
  eventKinds: ['generate', 'cancel', 'ewb'],
  tables: ODOO_TABLES,
  map: mapAccountMove,
});
