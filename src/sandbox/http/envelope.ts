/** The IRP response envelope, field names exactly as NIC spells them (§1). */
import type { IrpErrorDetail } from '../../irp/errors.js';
import type { InfoDetail } from '../services/outcome.js';

export interface IrpEnvelope {
  Status: 0 | 1;
  Data: unknown;
  ErrorDetails: IrpErrorDetail[] | null;
  InfoDtls: InfoDetail[] | null;
}

export function successEnvelope(data: unknown, info?: InfoDetail[]): IrpEnvelope {
  return { Status: 1, Data: data, ErrorDetails: null, InfoDtls: info && info.length > 0 ? info : null };
}

export function failureEnvelope(errors: IrpErrorDetail[], info?: InfoDetail[]): IrpEnvelope {
  return { Status: 0, Data: null, ErrorDetails: errors, InfoDtls: info && info.length > 0 ? info : null };
}
