/**
 * NIC's portal password rule, as its error 3003 words it: "Password should contains atleast one upper
 * case, one lower case, one number and one special characters like [%,$,#,@,_,!,*]". The record gives no
 * length; the portal takes 8–15 characters (the common NIC/GST portal limit, UNCONFIRMED for the IRP)
 * and printable ASCII without spaces, so a password always fits the 245-byte RSA block of Auth v1.04.
 */
import { randomInt } from 'node:crypto';
import { irpMessage } from '../../irp/errors.js';

export const PASSWORD_SPECIALS = '%$#@_!*';
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 15;

/** What is wrong with a password, in words; empty when it follows the policy. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX)
    problems.push(`must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`);
  if (!/^[\x21-\x7e]*$/.test(password))
    problems.push('may contain only printable ASCII characters, no spaces');
  const missing: string[] = [];
  if (!/[A-Z]/.test(password)) missing.push('an upper-case letter');
  if (!/[a-z]/.test(password)) missing.push('a lower-case letter');
  if (!/[0-9]/.test(password)) missing.push('a digit');
  if (![...password].some((c) => PASSWORD_SPECIALS.includes(c)))
    missing.push(`one of the special characters ${[...PASSWORD_SPECIALS].join(' ')}`);
  if (missing.length > 0) problems.push(`needs ${missing.join(', ')} (IRP 3003: ${irpMessage('3003')})`);
  return problems;
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;

/** A random 12-character password that follows the policy (no look-alike characters). */
export function generatePassword(): string {
  const all = UPPER + LOWER + DIGITS + PASSWORD_SPECIALS;
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(PASSWORD_SPECIALS)];
  while (chars.length < 12) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
