/** Oracle records beyond the shared cases: mostly ones that must be rejected, each with a defect real data shows. */
import { FIXTURE_CASES } from '../fixture-cases.js';
import type { ReceivablesTransactionEvent } from '../../oracle/record.js';
import { renderOracle } from './render.js';

const from = (id: string): ReceivablesTransactionEvent =>
  renderOracle(FIXTURE_CASES.find((c) => c.id === id)!);

export function oracleExtraCases(): Record<string, ReceivablesTransactionEvent> {
  const unknownUnit = from('inter-state');
  unknownUnit.Lines[0]!.UnitOfMeasure = 'SAK';

  const missingGstin = from('inter-state');
  missingGstin.Transaction.ThirdPartyTaxRegistrationNumber = null;

  const unknownState = from('inter-state');
  unknownState.Transaction.BillToAddress.State = 'Maharashtra State';

  const unknownTax = from('cess');
  unknownTax.Lines[0]!.TaxLines[1]!.Tax = 'KERALA FLOOD CESS';

  const creditWithoutReference = from('credit-note');
  creditWithoutReference.Transaction.PreviousTransactionNumber = null;
  creditWithoutReference.Transaction.PreviousTransactionDate = null;

  const depositClass = from('inter-state');
  depositClass.Transaction.TransactionClass = 'DEP';
  depositClass.Transaction.TransactionType = 'Deposit';

  return {
    'error-unknown-unit': unknownUnit,
    'error-missing-gstin': missingGstin,
    'error-unknown-state': unknownState,
    'error-unknown-tax': unknownTax,
    'error-credit-note-without-reference': creditWithoutReference,
    'error-unknown-doc-type': depositClass,
  };
}
