/**
 * What the validator needs to know beyond the invoice: the clock and, where the caller has them, the
 * IRP's own records of taxpayers. Offline (the CLI) nothing but the clock is known, and rules that need
 * a record are skipped rather than guessed.
 */

/** Registration status as the IRP's GSTIN master spells it (codes.tsv); `UNKNOWN` = not registered. */
export type TaxpayerStatus = 'ACT' | 'CNL' | 'INA' | 'SUS' | 'PRO' | 'UNKNOWN';

export interface ValidationContext {
  /** The IRP's "today": the 30-day window and future-date rules read it. */
  now: Date;
  /** Whether the supplier is under the 30-day reporting rule (AATO ≥ ₹10 crore, README §8). */
  isLargeTaxpayer?: (gstin: string) => boolean;
  /** Registration status of a GSTIN; undefined when not known (no finding). */
  taxpayerStatus?: (gstin: string) => TaxpayerStatus | undefined;
  /** Taxpayer type (`REG`, `SEZ`, `COM`, …) where known, for the SEZ rules. */
  taxpayerType?: (gstin: string) => string | undefined;
  /** Item limit per document: 1000 by default, raisable to 5000 on request to NIC (2173). */
  maxItems?: number;
  /** Tolerance, in rupees, of the arithmetic rules (NIC documents ±1 for the invoice total). */
  tolerance?: number;
}

export const DEFAULT_MAX_ITEMS = 1000;
export const DEFAULT_TOLERANCE = 1;
