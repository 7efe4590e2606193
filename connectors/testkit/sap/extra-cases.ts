/** SAP records beyond the shared cases: mostly ones that must be rejected, each with a defect real data shows. */
import { FIXTURE_CASES } from '../fixture-cases.js';
import type { BillingDocumentEvent } from '../../sap/record.js';
import { renderSap } from './render.js';

const from = (id: string): BillingDocumentEvent => renderSap(FIXTURE_CASES.find((c) => c.id === id)!);

export function sapExtraCases(): Record<string, BillingDocumentEvent> {
  const unknownUnit = from('inter-state');
  unknownUnit.VBRP[1]!.VRKME = 'KRT';

  const missingGstin = from('inter-state');
  for (const p of missingGstin.PARTNERS) p.STCD3 = null;

  const unknownState = from('intra-state');
  unknownState.SELLER.REGION = '99';

  const proForma = from('inter-state');
  proForma.VBRK.VBTYP = 'U';
  proForma.VBRK.FKART = 'F8';

  const unmappedTax = from('inter-state');
  for (const c of unmappedTax.PRCD_ELEMENTS) if (c.KSCHL === 'JOIG' && c.KPOSN === '000010') c.KSCHL = 'ZIG1';

  const creditWithoutReference = from('credit-note');
  creditWithoutReference.PRECEDING = [];

  const several = from('intra-state');
  several.VBRP[0]!.VRKME = 'XYZ';
  several.PARTNERS[1]!.STCD3 = '';
  several.VBRK.XBLNR = '0090001234';
  several.VBRK.FKDAT = '20250231';

  return {
    'error-unknown-unit': unknownUnit,
    'error-missing-gstin': missingGstin,
    'error-unknown-state': unknownState,
    'error-unknown-doc-type': proForma,
    'error-unmapped-tax-condition': unmappedTax,
    'error-credit-note-without-reference': creditWithoutReference,
    'error-several-problems': several,
  };
}
