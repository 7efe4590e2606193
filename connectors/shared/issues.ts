/**
 * Collects every mapping problem of a record, so an ERP team sees all of them in one rejection rather
 * than fixing one field per round trip (the same habit as the IRP validator).
 */
import type { MapError, MapErrorCode, MapResult, MappedEvent } from '../types.js';
import { decFromNumber, parseDec, type Dec } from './decimal.js';

export class Issues {
  readonly errors: MapError[] = [];

  add(code: MapErrorCode, path: string, message: string): undefined {
    this.errors.push({ code, path, message });
    return undefined;
  }

  /** A required text field: blank counts as missing, because ERPs pad and blank rather than null. */
  text(value: string | null | undefined, path: string): string | undefined {
    const v = value?.trim();
    return v ? v : this.add('MAP_MISSING_FIELD', path, `${path} is required`);
  }

  /** A decimal text or number; undefined (and an issue) when it is not one. */
  amount(value: string | number | null | undefined, path: string): Dec | undefined {
    if (value === null || value === undefined || value === '')
      return this.add('MAP_MISSING_FIELD', path, `${path} is required`);
    const d = typeof value === 'number' ? decFromNumber(value) : parseDec(value);
    return (
      d ?? this.add('MAP_INVALID_AMOUNT', path, `${path} is not a decimal number: ${JSON.stringify(value)}`)
    );
  }

  result(event: () => MappedEvent): MapResult {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, event: event() };
  }
}

/** Blank and null ERP values both mean "not given". */
export function given(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
