/**
 * What an IRP error code means for the person at the console, and what to do about it: NIC's message
 * comes from the catalogue; the explanation is the sandbox's own (it knows why it answered so).
 */
import { lookupErrorCode } from '../../../irp/errors.js';

const EXPLANATIONS: Record<string, string> = {
  '1004': 'The Gstin header is missing. Send the GSTIN the token was issued for.',
  '1005':
    'The AuthToken is missing, unknown, revoked or expired. Log in again (Auth) and use the new token; a client should do this once, automatically, and then retry the call.',
  '1006': 'The user name is missing: in the login payload, or in the user_name header of a call.',
  '1007': 'The auth body is not JSON or has no Data member.',
  '1008': 'No such API user, or no password in the login payload.',
  '1010':
    'The client id is unknown or the client secret is wrong (a regenerated secret replaces the old one at once).',
  '1011': 'The client_id header is missing.',
  '1012': 'The client_secret header is missing.',
  '1013':
    'The login payload could not be decrypted with the sandbox private key: encrypt with this sandbox\u2019s public key (not NIC\u2019s), PKCS#1 v1.5, over the base64 of the JSON.',
  '1014': 'The user\u2019s GSTIN is not active in the taxpayer master.',
  '1015': 'The Gstin header is not the GSTIN of the user (at login) or of the token (on a call).',
  '1016': 'The AppKey is missing, undecryptable or not a valid AES key length.',
  '1018': 'The user belongs to another client id.',
  '1019':
    'The password is wrong. Passwords are case-sensitive; reset it from the portal\u2019s account page.',
  '2140':
    'The invoice breaks a schema constraint (a required member, a length, a pattern, an enumeration or a range). The path says which member.',
  '2142': 'A mandatory parameter of the request is missing or out of range.',
  '2143': 'The IRN belongs to another GSTIN.',
  '2145': 'The IRN is not 64 hexadecimal characters.',
  '2148': 'No IRN like this is registered.',
  '2150':
    'This document (GSTIN, financial year, type, number) is already registered. InfoDtls DUPIRN carries the original AckNo, AckDt and IRN: a client that timed out recovers its IRN from there instead of submitting again.',
  '2155': 'The supplier GSTIN (SellerDtls.Gstin) is missing.',
  '2169': 'SellerDtls.Gstin must be the GSTIN you logged in with (the Gstin header).',
  '2189':
    'TotInvVal is not the sum of the item totals plus other charges, minus discount, plus round-off (±₹1).',
  '2230': 'The IRN has an active e-way bill: cancel the e-way bill first.',
  '2255': 'The request body or its Data is empty.',
  '2270':
    'An IRN can be cancelled only within 24 hours of its acknowledgement. After that, issue a credit note against the invoice.',
  '2283': 'Registrations can be fetched only within three days of generation.',
  '3009':
    'The payload could not be read: the body is not JSON, Data is not base64, it was not encrypted under this session\u2019s SEK (a padding failure), or the decrypted text is not JSON.',
  '3028': 'A GSTIN in the request is malformed or (strict mode) not registered.',
  '3029': 'A GSTIN in the request is not active. Sync GSTIN refreshes a stale status.',
  '5002': 'The request is too large, or the IRP had a transient problem: retry later.',
  '9999': 'The IRN is already cancelled.',
};

export interface ExplainedError {
  code: string;
  message: string;
  explanation: string;
}

export function explain(code: string, message?: string): ExplainedError {
  return {
    code,
    message: message ?? lookupErrorCode(code)?.message ?? '',
    explanation:
      EXPLANATIONS[code] ??
      'See the error catalogue for NIC\u2019s wording; the API page lists when this code is returned.',
  };
}
