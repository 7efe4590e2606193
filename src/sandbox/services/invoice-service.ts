/**
 * E-invoices: Generate IRN, Get e-invoice by IRN, Get IRN by document details, Cancel IRN (§2, §5, §7).
 * Validation is the shared validator of src/irp — the same rules and codes the connector checks
 * before it calls — fed with this sandbox's taxpayer master and clock.
 */
import { findingToErrorDetail, irpError } from '../../irp/errors.js';
import { formatIrpDateTime, formatIrpDateTimeToMinute, istParts, parseIrpDate } from '../../irp/dates.js';
import { computeIrn, documentKey, isIrn, type DocType } from '../../irp/irn.js';
import type { Invoice } from '../../irp/schema/invoice.js';
import { documentIdentity, type validateInvoice } from '../../irp/validate/index.js';
import { getMemberIgnoringCase } from '../../irp/crypto.js';
import type { SandboxClock } from '../clock.js';
import type { SandboxStore } from '../store/index.js';
import type { IrnRecord } from '../store/irns-repo.js';
import { ewbErrorInfo, ewbResponse, ownsIrn, type EwbService } from './ewb-service.js';
import { explained, failure, failures, success, type InfoDetail, type Outcome } from './outcome.js';
import type { Session } from './session.js';
import type { InvoiceSigner } from './signing.js';
import type { TaxpayerMaster } from './taxpayer-master.js';

export type InvoiceValidator = typeof validateInvoice;

export interface InvoiceRules {
  /** Cancel IRN only within this long after AckDt (NIC: 24 hours). */
  cancelWindowMs: number;
  /** Get by IRN / by document details only within this many days of generation (NIC: 3). */
  retrievalWindowDays: number;
}

/** `Data` of Generate IRN, Get e-invoice by IRN and Get IRN by document details. */
export interface IrnResponseData {
  AckNo: number;
  AckDt: string;
  Irn: string;
  SignedInvoice: string;
  SignedQRCode: string;
  Status: 'ACT' | 'CNL';
  EwbNo: number | null;
  EwbDt: string | null;
  EwbValidTill: string | null;
  Remarks: string | null;
}

export interface CancelIrnData {
  Irn: string;
  CancelDate: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DOC_TYPES: readonly DocType[] = ['INV', 'CRN', 'DBN'];

/**
 * AckDt as the response carries it: to the minute (NIC's responses show `:00` seconds while the AckDt
 * inside SignedInvoice keeps them — README §2; the sandbox truncates, NIC was seen rounding up).
 */
function ackDtToMinute(ackAt: number): string {
  return formatIrpDateTimeToMinute(new Date(ackAt));
}

/** `InfoDtls` for a request that carried `Irn` (ADDNLNFO: the additional-information code TaxPro's library reads). */
function sentIrnInfo(sent: string, computed: string): InfoDetail {
  return {
    InfCd: 'ADDNLNFO',
    Desc:
      sent.toLowerCase() === computed
        ? 'Irn need not be sent: the IRP computes it (the sent value equals it)'
        : `Irn must not be sent: the sent value ${sent} is ignored; the IRP computed ${computed}`,
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export class InvoiceService {
  constructor(
    private readonly store: SandboxStore,
    private readonly clock: SandboxClock,
    private readonly master: TaxpayerMaster,
    private readonly signer: InvoiceSigner,
    private readonly ewbs: EwbService,
    private readonly validate: InvoiceValidator,
    private readonly rules: InvoiceRules,
  ) {}

  /**
   * `POST /eicore/v1.03/Invoice`. Ordering: a document already registered answers 2150 with its DUPIRN
   * before any validation — NIC's duplicate answer is how a client recovers the IRN of a call whose
   * answer it lost, and that must keep working when the document would no longer validate (the 30-day
   * window has passed, the buyer's GSTIN was cancelled since). Then validation, then the seller check
   * (2169), then the atomic reservation (which catches a concurrent duplicate).
   */
  async generate(session: Session, payload: unknown): Promise<Outcome<IrnResponseData>> {
    const now = this.clock.now();
    const identity = documentIdentity(payload);
    if (identity && this.mayActFor(session, identity.gstin, payload)) {
      const key = documentKey(identity);
      const earlier = key ? this.store.irns.findByDocument(key) : undefined;
      if (earlier) return this.duplicate(earlier);
    }
    const result = this.validate(payload, {
      now,
      isLargeTaxpayer: this.master.isLargeTaxpayer,
      taxpayerStatus: this.master.status,
      taxpayerType: this.master.taxpayerType,
    });
    if (!result.valid || !result.invoice) {
      const failed = failures(result.errors.map(findingToErrorDetail));
      failed.reason = result.errors.map((e) => `${e.code} ${e.detail ?? e.path}`).join('; ');
      return failed;
    }
    const invoice = result.invoice;
    const seller = invoice.SellerDtls.Gstin.toUpperCase();
    const ecmGstin = invoice.TranDtls.EcmGstin?.toUpperCase() ?? null;
    const actingAsOperator = ecmGstin === session.gstin && session.supplierGstin === seller;
    if (seller !== session.gstin && !actingAsOperator) return failure('2169');

    const doc = {
      gstin: seller,
      docType: invoice.DocDtls.Typ,
      docNo: invoice.DocDtls.No,
      docDate: invoice.DocDtls.Dt,
    };
    const irn = computeIrn({ ...doc, asOf: now });
    const reservation = this.store.irns.reserve(
      {
        irn,
        ...doc,
        ecmGstin,
        ackAt: now.getTime(),
        invoiceJson: JSON.stringify(invoice),
        docKey: documentKey(doc)!,
      },
      () => this.nextAckNo(now),
    );
    if ('duplicate' in reservation) return this.duplicate(reservation.duplicate);
    const info: InfoDetail[] = [];
    // The record says Irn must not be sent; what NIC does with one is not on record. Lenient: the IRP
    // computes its own, and the answer says so instead of ignoring the sent value silently.
    if (invoice.Irn !== undefined) info.push(sentIrnInfo(invoice.Irn, irn));

    const record = reservation.reserved;
    let signed: { signedInvoice: string; signedQrCode: string };
    try {
      signed = await this.signer.sign(invoice, {
        ackNo: record.ackNo,
        ackDtSigned: formatIrpDateTime(new Date(record.ackAt)),
        ackDt: ackDtToMinute(record.ackAt),
        irn,
      });
    } catch {
      this.store.irns.release(irn);
      return failure('2147');
    }
    this.store.irns.activate(irn, signed.signedInvoice, signed.signedQrCode);
    const registered: IrnRecord = {
      ...record,
      state: 'ACT',
      signedInvoice: signed.signedInvoice,
      signedQrCode: signed.signedQrCode,
    };
    const data = this.responseData(registered);
    if (invoice.EwbDtls) this.attachEwb(registered, invoice, data, info);
    return success(data, info);
  }

  /** 2150 with the earlier registration (a cancelled document's number stays burnt too: §7, UNCONFIRMED code). */
  private duplicate(earlier: IrnRecord): Outcome<IrnResponseData> {
    return failures(
      [irpError('2150')],
      [
        {
          InfCd: 'DUPIRN',
          Desc: { AckNo: earlier.ackNo, AckDt: ackDtToMinute(earlier.ackAt), Irn: earlier.irn },
        },
      ],
    );
  }

  /** Whether the caller may learn about `seller`'s documents: the seller, or its e-commerce operator. */
  private mayActFor(session: Session, seller: string, payload: unknown): boolean {
    if (seller === session.gstin) return true;
    if (session.supplierGstin !== seller) return false;
    const tran = asRecord(getMemberIgnoringCase(asRecord(payload) ?? {}, 'TranDtls'));
    const ecm = tran ? getMemberIgnoringCase(tran, 'EcmGstin') : undefined;
    return typeof ecm === 'string' && ecm.toUpperCase() === session.gstin;
  }

  /** EWB failure does not fail the IRN: it is reported as `EWBERR` next to a successful response. */
  private attachEwb(record: IrnRecord, invoice: Invoice, data: IrnResponseData, info: InfoDetail[]): void {
    const outcome = this.ewbs.generateFor(record, invoice.EwbDtls as Record<string, unknown>, {});
    if (!outcome.ok) {
      info.push(ewbErrorInfo(outcome.errors));
      return;
    }
    Object.assign(data, outcome.data);
    info.push(...(outcome.info ?? []));
  }

  /** `GET /eicore/v1.03/Invoice/irn/{irn}`. */
  getByIrn(session: Session, irnText: string): Outcome<IrnResponseData> {
    const irn = irnText.trim().toLowerCase();
    if (!isIrn(irn)) return failure('2145');
    const record = this.store.irns.find(irn);
    if (!record || record.state === 'PENDING') return failure('2148');
    if (!ownsIrn(session, record)) return failure('2226');
    return this.retrievable(record);
  }

  /** `GET /eicore/v1.03/Invoice/irnbydocdetails?doctype=&docnum=&docdate=`. */
  getByDocDetails(session: Session, query: URLSearchParams): Outcome<IrnResponseData> {
    const param = (name: string) => {
      for (const [key, value] of query) if (key.toLowerCase() === name) return value.trim();
      return '';
    };
    const [docType, docNo, docDate] = [param('doctype').toUpperCase(), param('docnum'), param('docdate')];
    if (!docType || !docNo || !docDate)
      return explained('2142', 'doctype, docnum and docdate are all required query parameters');
    if (!DOC_TYPES.includes(docType as DocType)) return failure('2161');
    if (!parseIrpDate(docDate)) return failure('2144');
    const key = documentKey({ gstin: session.gstin, docType, docNo, docDate });
    const record = key ? this.store.irns.findByDocument(key) : undefined;
    if (!record || record.state === 'PENDING') return failure('2154');
    return this.retrievable(record);
  }

  private retrievable(record: IrnRecord): Outcome<IrnResponseData> {
    const days = this.rules.retrievalWindowDays;
    if (this.clock.nowMs() - record.ackAt > days * DAY_MS) return failure('2283', String(days));
    return success(this.responseData(record));
  }

  /** `POST /eicore/v1.03/Invoice/Cancel` with `{Irn, CnlRsn, CnlRem}` (member names bound case-insensitively). */
  cancel(session: Session, body: unknown): Outcome<CancelIrnData> {
    const r = asRecord(body);
    if (!r) return explained('2142', 'the payload must be a JSON object {Irn, CnlRsn, CnlRem}');
    const irnText = getMemberIgnoringCase(r, 'Irn');
    const reason = String(getMemberIgnoringCase(r, 'CnlRsn') ?? '').trim();
    const remarkRaw = getMemberIgnoringCase(r, 'CnlRem');
    const remark = typeof remarkRaw === 'string' ? remarkRaw : null;
    if (typeof irnText !== 'string' || irnText.trim() === '') return explained('2142', 'Irn is required');
    const irn = irnText.trim().toLowerCase();
    if (!isIrn(irn)) return failure('2145');
    // CnlRsn is the enum "1"–"4" and CnlRem at most 100 characters; NIC's code for either being wrong is
    // not in the record, so both are "incomplete request parameters" (UNCONFIRMED).
    if (!['1', '2', '3', '4'].includes(reason))
      return explained('2142', 'CnlRsn must be "1", "2", "3" or "4"');
    if (remark !== null && remark.length > 100)
      return explained('2142', 'CnlRem must be at most 100 characters');

    const nowMs = this.clock.nowMs();
    return this.store.transaction(() => {
      const record = this.store.irns.find(irn);
      if (!record || record.state === 'PENDING') return failure('2148');
      if (!ownsIrn(session, record)) return failure('2143');
      if (record.state === 'CNL') return failure('9999');
      if (this.store.ewbs.findActiveForIrn(irn)) return failure('2230');
      if (nowMs - record.ackAt > this.rules.cancelWindowMs) return failure('2270');
      this.store.irns.markCancelled(irn, nowMs, reason, remark);
      return success({ Irn: irn, CancelDate: formatIrpDateTimeToMinute(new Date(nowMs)) });
    });
  }

  private responseData(record: IrnRecord): IrnResponseData {
    const ewb = this.store.ewbs.findActiveForIrn(record.irn);
    return {
      AckNo: record.ackNo,
      AckDt: ackDtToMinute(record.ackAt),
      Irn: record.irn,
      SignedInvoice: record.signedInvoice ?? '',
      SignedQRCode: record.signedQrCode ?? '',
      Status: record.state === 'CNL' ? 'CNL' : 'ACT',
      ...(ewb ? ewbResponse(ewb) : { EwbNo: null, EwbDt: null, EwbValidTill: null, Remarks: null }),
    };
  }

  /**
   * 15 digits: a 2-digit series, the 2-digit year (digits 3–4, as in every NIC sample — inferred) and an
   * 11-digit running number. Numbers taken by a reservation that turned out duplicate are simply skipped.
   */
  private nextAckNo(now: Date): number {
    const yy = istParts(now).year % 100;
    return 11 * 1e13 + yy * 1e11 + this.store.meta.next('ack_no');
  }
}
