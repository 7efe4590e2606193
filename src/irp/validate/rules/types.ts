import type { Finding } from '../../errors.js';
import type { Invoice } from '../../schema/invoice.js';
import type { ValidationContext } from '../context.js';

type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * Rules read the invoice after normalisation but whether or not it decoded: a schema failure in one
 * field must not hide a business finding in another. So every field may be absent or of the wrong type,
 * and a rule that cannot evaluate simply reports nothing.
 */
export type LooseInvoice = DeepPartial<Invoice>;

export type RuleContext = Required<Pick<ValidationContext, 'now' | 'maxItems' | 'tolerance'>> &
  Omit<ValidationContext, 'now' | 'maxItems' | 'tolerance'>;

/** A business rule: all of its findings for one invoice. */
export type Rule = (invoice: LooseInvoice, ctx: RuleContext) => Finding[];

/** A warning: advice the IRP itself would not reject on. Codes are the product's own (`W_…`). */
export interface Warning {
  code: string;
  message: string;
  path: string;
}
