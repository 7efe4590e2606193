/**
 * 2150 "Duplicate IRN" recovery (README §7). The IRN is deterministic, so a replayed or timed-out
 * Generate meets 2150 carrying the earlier registration in `InfoDtls[DUPIRN].Desc`. The client fetches
 * that registration and adopts it only if it is the same invoice — same buyer GSTIN and same total —
 * because the same document number may have been registered with different content (a re-keyed
 * invoice, another system of the same seller). Anything else is a conflict for a human.
 *
 * Two situations are not conflicts, though the registration cannot be checked:
 * - a registration named in DUPIRN that reads as "not found" for a while (a concurrent Generate still
 *   signing, or a read replica behind): re-read until a settle deadline of tens of seconds;
 * - a registration that can no longer be read (2283: older than the IRP's three-day retrieval window):
 *   the IRP has confirmed the document is registered, so what it confirmed — the IRN, and the AckNo and
 *   AckDt from DUPIRN — is a `recovered-partial` result naming what could not be fetched and checked.
 */
import { getMemberIgnoringCase } from '../crypto.js';
import { computeIrn } from '../irn.js';
import type { DocDetailsQuery, IrnDetails } from './apis.js';
import type {
  ApiOutcome,
  ConflictOutcome,
  DuplicateRef,
  GenerateOutcome,
  InfoDetail,
  IrpErrorItem,
  RecoveredPartialOutcome,
} from './outcome.js';
import { verifyOrDecode, type QrCodeData, type SignedVerifier } from './signed.js';

/** The parts of a submitted invoice recovery compares; satisfied by `Invoice` and by raw JSON. */
export interface SubmittedInvoice {
  SellerDtls: { Gstin: string };
  DocDtls: { Typ: string; No: string; Dt: string };
  BuyerDtls: { Gstin: string };
  ValDtls: { TotInvVal: number };
}

export interface RecoveryDeps {
  getByIrn(irn: string): Promise<ApiOutcome<IrnDetails>>;
  getByDocDetails(query: DocDetailsQuery): Promise<ApiOutcome<IrnDetails>>;
  verifier: SignedVerifier | undefined;
  /**
   * How long to keep re-reading a registration the IRP reports as not found (2148/2154) right after
   * naming it in DUPIRN: a concurrent Generate may still be signing it, or the read side may lag the
   * de-duplication registry. Default {@link DEFAULT_SETTLE_MS}.
   */
  settleMs?: number;
  /** First delay between re-reads; it doubles up to {@link MAX_SETTLE_DELAY_MS}. Default 100 ms. */
  settleInitialDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** "Not found" answers that, right after a DUPIRN, mean "not yet visible" rather than "absent". */
const NOT_YET_VISIBLE: ReadonlySet<string> = new Set(['2148', '2154']);
/** Default settle deadline: tens of seconds, far beyond a signing in progress or a replica's lag. */
export const DEFAULT_SETTLE_MS = 30_000;
const MAX_SETTLE_DELAY_MS = 2_000;

async function fetchSettled(
  fetch: () => Promise<ApiOutcome<IrnDetails>>,
  deps: RecoveryDeps,
): Promise<ApiOutcome<IrnDetails>> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = deps.now ?? Date.now;
  const deadline = now() + (deps.settleMs ?? DEFAULT_SETTLE_MS);
  let delay = deps.settleInitialDelayMs ?? 100;
  let outcome = await fetch();
  while (outcome.kind === 'rejected' && outcome.errors.every((e) => NOT_YET_VISIBLE.has(e.code))) {
    const left = deadline - now();
    if (left <= 0) break;
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, MAX_SETTLE_DELAY_MS);
    outcome = await fetch();
  }
  return outcome;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The earlier registration named by `InfoDtls[DUPIRN].Desc`, if the IRP sent one. */
export function duplicateRefFromInfo(info: readonly InfoDetail[]): DuplicateRef | undefined {
  const entry = info.find((i) => i.InfCd.toUpperCase() === 'DUPIRN');
  if (!entry) return undefined;
  let desc = entry.Desc;
  if (typeof desc === 'string') {
    try {
      desc = JSON.parse(desc) as unknown;
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(desc)) desc = desc[0];
  if (!isRecord(desc)) return undefined;
  const irn = getMemberIgnoringCase(desc, 'Irn');
  if (typeof irn !== 'string' || irn === '') return undefined;
  const ref: DuplicateRef = { Irn: irn };
  const ackNo = getMemberIgnoringCase(desc, 'AckNo');
  const ackDt = getMemberIgnoringCase(desc, 'AckDt');
  if (typeof ackNo === 'number' || typeof ackNo === 'string') ref.AckNo = ackNo;
  if (typeof ackDt === 'string') ref.AckDt = ackDt;
  return ref;
}

/** Money equality at paise precision; the IRP keeps two decimals. */
function sameAmount(a: number, b: number): boolean {
  return Math.round(a * 100) === Math.round(b * 100);
}

function conflict(
  reason: ConflictOutcome['reason'],
  message: string,
  duplicate: DuplicateRef | undefined,
  extra: Partial<Pick<ConflictOutcome, 'mismatches' | 'errors'>> = {},
): ConflictOutcome {
  const out: ConflictOutcome = {
    kind: 'conflict',
    reason,
    message,
    mismatches: extra.mismatches ?? [],
    errors: extra.errors ?? [],
  };
  if (duplicate) out.duplicate = duplicate;
  return out;
}

interface RegisteredFacts {
  buyerGstin: unknown;
  total: unknown;
}

/** Buyer GSTIN and total of the registration, from SignedInvoice (full invoice) or else SignedQRCode. */
async function registeredFacts(
  details: IrnDetails,
  verifier: SignedVerifier | undefined,
): Promise<{ ok: true; facts: RegisteredFacts } | { ok: false; error: string }> {
  const invoice = await verifyOrDecode<Record<string, unknown>>(details.SignedInvoice, verifier);
  if (invoice.ok && isRecord(invoice.value.data)) {
    const data = invoice.value.data;
    const buyer = getMemberIgnoringCase(data, 'BuyerDtls');
    const val = getMemberIgnoringCase(data, 'ValDtls');
    if (isRecord(buyer) && isRecord(val)) {
      return {
        ok: true,
        facts: {
          buyerGstin: getMemberIgnoringCase(buyer, 'Gstin'),
          total: getMemberIgnoringCase(val, 'TotInvVal'),
        },
      };
    }
  }
  const qr = await verifyOrDecode<QrCodeData>(details.SignedQRCode, verifier);
  if (qr.ok && isRecord(qr.value.data)) {
    return { ok: true, facts: { buyerGstin: qr.value.data.BuyerGstin, total: qr.value.data.TotInvVal } };
  }
  return {
    ok: false,
    error: !invoice.ok ? invoice.error : !qr.ok ? qr.error : 'signed data lacks buyer and totals',
  };
}

/** The fields of a full Generate answer that a partial recovery may lack. */
const IRN_FIELDS = ['Irn', 'AckNo', 'AckDt', 'SignedInvoice', 'SignedQRCode'] as const;

/**
 * What the IRP confirmed about a registration it could not show: the IRN (from DUPIRN, or computed —
 * it is deterministic) and whatever of AckNo/AckDt DUPIRN carried.
 */
function partialFromDuplicate(
  submitted: SubmittedInvoice,
  ref: DuplicateRef | undefined,
  duplicateErrors: readonly IrpErrorItem[],
  fetchErrors: readonly IrpErrorItem[],
  info: readonly InfoDetail[],
  now: Date,
): RecoveredPartialOutcome<IrnDetails> | ConflictOutcome {
  const fetchText = fetchErrors.map((e) => `${e.code} ${e.message}`).join('; ');
  let irn = ref?.Irn;
  try {
    // The IRP upper-cases document numbers before hashing from June 2025; `now` is when it would.
    irn ??= computeIrn({
      gstin: submitted.SellerDtls.Gstin,
      docType: submitted.DocDtls.Typ.toUpperCase() as 'INV' | 'CRN' | 'DBN',
      docNo: submitted.DocDtls.No,
      docDate: submitted.DocDtls.Dt,
      asOf: now,
    });
  } catch {
    return conflict('not-retrievable', `duplicate IRN could not be fetched: ${fetchText}`, ref, {
      errors: [...duplicateErrors, ...fetchErrors],
    });
  }
  const data: RecoveredPartialOutcome<IrnDetails>['data'] = { Irn: irn };
  if (ref?.AckNo !== undefined) data.AckNo = ref.AckNo;
  if (ref?.AckDt !== undefined) data.AckDt = ref.AckDt;
  return {
    kind: 'recovered-partial',
    data,
    recovered: true,
    missing: IRN_FIELDS.filter((f) => data[f] === undefined),
    unverified: ['BuyerDtls.Gstin', 'ValDtls.TotInvVal', 'Status'],
    reason: `the IRP confirms the document as registered (2150${ref ? ', DUPIRN' : ''}) but could not return the registration: ${fetchText}${ref ? '' : '; the IRN is computed from the document details'}`,
    errors: [...duplicateErrors, ...fetchErrors],
    info: [...info],
  };
}

/**
 * Resolves a 2150: fetch the registration (by the IRN from DUPIRN, or by document details when the IRP
 * sent none), check it, and adopt it as a success marked `recovered`, or explain the conflict. A
 * registration that cannot be read back (2283) is a `recovered-partial` success. Fetch failures that
 * may heal (transient, circuit open, credentials) are returned as they are.
 */
export async function recoverDuplicate(
  submitted: SubmittedInvoice,
  info: readonly InfoDetail[],
  duplicateErrors: readonly IrpErrorItem[],
  deps: RecoveryDeps,
): Promise<GenerateOutcome<IrnDetails>> {
  const ref = duplicateRefFromInfo(info);
  const fetched = await fetchSettled(
    () =>
      ref
        ? deps.getByIrn(ref.Irn)
        : deps.getByDocDetails({
            docType: submitted.DocDtls.Typ as DocDetailsQuery['docType'],
            docNo: submitted.DocDtls.No,
            docDate: submitted.DocDtls.Dt,
          }),
    deps,
  );

  switch (fetched.kind) {
    case 'success':
      break;
    case 'rejected':
      // 2150 says the document is registered; only reading it back failed (2283 past the window).
      return partialFromDuplicate(
        submitted,
        ref,
        duplicateErrors,
        fetched.errors,
        info,
        new Date((deps.now ?? Date.now)()),
      );
    default:
      return fetched;
  }

  const details = fetched.data;
  if (ref && details.Irn !== ref.Irn) {
    return conflict('irn-mismatch', `IRP returned IRN ${details.Irn} for duplicate ${ref.Irn}`, ref, {
      mismatches: [{ field: 'Irn', submitted: ref.Irn, registered: details.Irn }],
    });
  }
  const dup: DuplicateRef = ref ?? { Irn: details.Irn, AckNo: details.AckNo, AckDt: details.AckDt };
  if (typeof details.Status === 'string' && details.Status.toUpperCase() === 'CNL') {
    return conflict(
      'cancelled',
      `the registered IRN ${details.Irn} is cancelled; its document number cannot be reused`,
      dup,
    );
  }

  const facts = await registeredFacts(details, deps.verifier);
  if (!facts.ok)
    return conflict('unverifiable', `registered invoice could not be verified: ${facts.error}`, dup);

  const mismatches: ConflictOutcome['mismatches'] = [];
  const submittedBuyer = submitted.BuyerDtls.Gstin;
  if (
    typeof facts.facts.buyerGstin !== 'string' ||
    facts.facts.buyerGstin.toUpperCase() !== submittedBuyer.toUpperCase()
  ) {
    mismatches.push({
      field: 'BuyerDtls.Gstin',
      submitted: submittedBuyer,
      registered: facts.facts.buyerGstin,
    });
  }
  const submittedTotal = submitted.ValDtls.TotInvVal;
  if (typeof facts.facts.total !== 'number' || !sameAmount(facts.facts.total, submittedTotal)) {
    mismatches.push({ field: 'ValDtls.TotInvVal', submitted: submittedTotal, registered: facts.facts.total });
  }
  if (mismatches.length > 0) {
    const reason = mismatches[0]!.field === 'BuyerDtls.Gstin' ? 'buyer-gstin-mismatch' : 'total-mismatch';
    return conflict(
      reason,
      `document already registered as IRN ${details.Irn} with different ${mismatches.map((m) => m.field).join(' and ')}`,
      dup,
      { mismatches },
    );
  }
  return { kind: 'success', data: details, recovered: true, info: [...info] };
}
