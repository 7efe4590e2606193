/**
 * Portal accounts: registration with two OTPs (mobile and e-mail), login, client-secret regeneration,
 * password reset with an OTP, and further GSTINs under the same PAN. API users and clients are the
 * sandbox's own (created through `createAccount`, stored as scrypt hashes); this module adds who
 * registered them and the OTP flows around them.
 *
 * Every input is checked before anything is written: a bad form stores nothing. OTPs are six digits,
 * expire after {@link OTP_VALIDITY_MS}, allow {@link OTP_MAX_ATTEMPTS} wrong tries, and sending them is
 * rate-limited per GSTIN, per address (mobile number or e-mail) and per client IP. In sandbox mode the
 * "delivery" is the outbox page of the browser that asked, and the server log.
 */
import type { Logger } from 'pino';
import { hasGstinShape, hasValidGstinCheckCharacter } from '../../irp/gstin.js';
import { isStateCode } from '../../irp/masters/index.js';
import type { SandboxClock } from '../clock.js';
import { createAccount, newClientId } from '../services/accounts.js';
import { hashSecret, randomSecret, verifySecret } from '../services/secrets.js';
import type { TaxpayerMaster } from '../services/taxpayer-master.js';
import type { SandboxStore } from '../store/index.js';
import { generatePassword, passwordProblems } from './password-policy.js';
import type { Flow, OtpChannel, PortalStore, PortalUser } from './portal-store.js';
import { newOtpCode, randomId, safeEqual, type PortalKeys } from './security.js';

export const OTP_VALIDITY_MS = 10 * 60 * 1000;
export const OTP_MAX_ATTEMPTS = 3;
/** OTPs one flow may send in all (the first pair and resends). */
export const OTP_MAX_PER_FLOW = 6;
export const FLOW_VALIDITY_MS = 30 * 60 * 1000;
export const RATE_WINDOW_MS = 60 * 60 * 1000;
/** OTP messages per hour: per GSTIN, per mobile number or e-mail address, per client IP. */
export const RATE_LIMITS = { gstin: 10, address: 5, ip: 100 } as const;
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_LOCK_MS = 15 * 60 * 1000;

/** Errors per form field (`form` for the whole form), in words for the person filling it in. */
export type FieldErrors = Record<string, string>;
export type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (errors: FieldErrors): Result<never> => ({ ok: false, errors });

export interface IssuedCredentials {
  clientId: string;
  clientSecret: string;
  userName: string;
  password: string;
  gstin: string;
}

export interface RequestContext {
  /** The browser's opaque owner id (flows and outbox messages belong to it). */
  owner: string;
  ip: string;
}

export function normalizeMobile(text: string): string | undefined {
  const digits = text.replace(/[\s()-]/g, '').replace(/^(\+91|0091|0)/, '');
  return /^[6-9][0-9]{9}$/.test(digits) ? digits : undefined;
}

export function normalizeEmail(text: string): string | undefined {
  const email = text.trim();
  if (email.length > 100) return undefined;
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(email) ? email : undefined;
}

/** `98******21` / `a***@example.com`: how the verify page names where an OTP went. */
export function maskAddress(channel: OtpChannel, address: string): string {
  if (channel === 'mobile') return `${address.slice(0, 2)}******${address.slice(-2)}`;
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export const panOf = (gstin: string) => gstin.slice(2, 12);
export const userNameFor = (gstin: string) => `API_${gstin}`;

export interface PortalAccountsDeps {
  core: SandboxStore;
  store: PortalStore;
  keys: PortalKeys;
  clock: SandboxClock;
  master: TaxpayerMaster;
  strictGstin: boolean;
  logger: Logger;
}

const DUMMY_HASH_PROMISE = hashSecret(randomSecret());

export class PortalAccounts {
  private readonly loginFailures = new Map<string, number[]>();

  constructor(private readonly d: PortalAccountsDeps) {}

  /** A GSTIN as typed, checked as a registration needs it: shape, state, and the master in strict mode. */
  checkGstin(text: string): Result<string> {
    const gstin = text.trim().toUpperCase();
    if (gstin === '') return fail({ gstin: 'Enter the GSTIN to register.' });
    if (!hasGstinShape(gstin))
      return fail({
        gstin: 'A GSTIN is 15 characters: 2 digits (state code), then 13 letters or digits (IRP 3028).',
      });
    if (!isStateCode(gstin.slice(0, 2)))
      return fail({ gstin: `${gstin.slice(0, 2)} is not a state code of the IRP state master.` });
    if (!/^[A-Z]{5}[0-9]{4}[A-Z]$/.test(panOf(gstin)))
      return fail({
        gstin: 'Characters 3 to 12 of a GSTIN are the PAN: five letters, four digits, a letter.',
      });
    const taxpayer = this.d.master.lookup(gstin);
    if (!taxpayer)
      return fail({
        gstin: 'This GSTIN is not in the sandbox taxpayer master (the sandbox runs with --strict-gstin).',
      });
    if (taxpayer.status !== 'ACT')
      return fail({ gstin: `This GSTIN is not active in the taxpayer master (status ${taxpayer.status}).` });
    if (this.d.store.gstinRegistered(gstin))
      return fail({
        gstin: 'This GSTIN is already registered. Log in, or add it to your account from the account page.',
      });
    return ok(gstin);
  }

  /** Advice shown with a GSTIN whose check character is wrong (NIC's own sandbox GSTINs have such). */
  static gstinAdvice(gstin: string): string | undefined {
    return hasValidGstinCheckCharacter(gstin)
      ? undefined
      : `The check character of ${gstin} is not the computed one; the IRP accepts such GSTINs, so the sandbox does too.`;
  }

  /** Starts a registration: checks the form, then sends the two OTPs. */
  startRegistration(
    input: { gstin: string; mobile: string; email: string },
    ctx: RequestContext,
  ): Result<Flow> {
    const errors: FieldErrors = {};
    const gstin = this.checkGstin(input.gstin);
    if (!gstin.ok) Object.assign(errors, gstin.errors);
    const mobile = normalizeMobile(input.mobile);
    if (!mobile) errors.mobile = 'Enter a 10-digit Indian mobile number starting with 6, 7, 8 or 9.';
    const email = normalizeEmail(input.email);
    if (!email) errors.email = 'Enter an e-mail address such as name@example.com (at most 100 characters).';
    if (!gstin.ok || !mobile || !email) return fail(errors);

    const limited = this.rateLimited({
      gstin: gstin.value,
      addresses: [mobile, email],
      ip: ctx.ip,
      sends: 2,
    });
    if (limited) return fail({ form: limited });

    const flow = this.newFlow('register', ctx.owner, {
      gstin: gstin.value,
      mobile,
      email,
      clientId: null,
      userName: null,
    });
    this.d.store.transaction(() => {
      this.d.store.insertFlow(flow);
      this.sendOtp(flow, 'mobile', ctx.ip);
      this.sendOtp(flow, 'email', ctx.ip);
    });
    return ok(flow);
  }

  /** The open flow of this browser, or why there is none. */
  openFlow(flowId: string | undefined, owner: string, kind: Flow['kind']): Result<Flow> {
    const flow = flowId ? this.d.store.findFlow(flowId) : undefined;
    if (!flow || flow.kind !== kind || !safeEqual(flow.owner, owner))
      return fail({
        form:
          kind === 'register'
            ? 'No registration is in progress in this browser. Start one.'
            : 'No password reset is in progress. Start one from the account page.',
      });
    if (flow.state === 'done') return fail({ form: 'This request is already complete.' });
    if (flow.expiresAt <= this.d.clock.nowMs())
      return fail({ form: 'This request has expired (30 minutes). Start again.' });
    return ok(flow);
  }

  /** Where the current OTPs of a flow went, for the verify page. */
  otpTargets(flow: Flow): { channel: OtpChannel; masked: string; verified: boolean }[] {
    return this.d.store.currentOtps(flow.id).map((o) => ({
      channel: o.channel,
      masked: maskAddress(o.channel, o.address),
      verified: o.verifiedAt !== null,
    }));
  }

  /** Sends fresh OTPs for the channels not yet verified. */
  resend(flow: Flow, ip: string): Result<number> {
    const pending = this.d.store.currentOtps(flow.id).filter((o) => o.verifiedAt === null);
    if (pending.length === 0)
      return fail({ form: 'Nothing to resend: every OTP of this request is verified.' });
    if (this.d.store.countOtpsSentInFlow(flow.id) + pending.length > OTP_MAX_PER_FLOW)
      return fail({ form: 'This request has sent as many OTPs as it may. Start again.' });
    const limited = this.rateLimited({
      gstin: flow.gstin,
      addresses: pending.map((o) => o.address),
      ip,
      sends: pending.length,
    });
    if (limited) return fail({ form: limited });
    this.d.store.transaction(() => pending.forEach((o) => this.sendOtp(flow, o.channel, ip)));
    return ok(pending.length);
  }

  /**
   * Checks the OTPs typed for a flow. A code that is not six digits is a form error and counts nothing;
   * a wrong six-digit code uses one of the OTP's attempts. Resolves when every channel is verified.
   */
  verifyOtps(flow: Flow, codes: Partial<Record<OtpChannel, string>>): Result<true> {
    const errors: FieldErrors = {};
    const now = this.d.clock.nowMs();
    const otps = this.d.store.currentOtps(flow.id).filter((o) => o.verifiedAt === null);
    const wellFormed = otps.every((o) => /^[0-9]{6}$/.test((codes[o.channel] ?? '').trim()));
    for (const otp of otps) {
      const field = `${otp.channel}Otp`;
      const code = (codes[otp.channel] ?? '').trim();
      const where = otp.channel === 'mobile' ? 'by SMS' : 'by e-mail';
      if (!/^[0-9]{6}$/.test(code)) {
        errors[field] = `Enter the 6-digit OTP sent ${where} to ${maskAddress(otp.channel, otp.address)}.`;
      } else if (otp.expiresAt <= now) {
        errors[field] = 'This OTP has expired (10 minutes). Request new OTPs.';
      } else if (otp.attempts >= OTP_MAX_ATTEMPTS) {
        errors[field] = 'Too many wrong attempts for this OTP. Request new OTPs.';
      } else if (!wellFormed) {
        // Another field is malformed: check nothing, count nothing, so a typo costs no attempt.
      } else if (!safeEqual(this.d.keys.otpHash(flow.id, otp.channel, code), otp.codeHash)) {
        this.d.store.recordOtpAttempt(otp.id);
        const left = OTP_MAX_ATTEMPTS - otp.attempts - 1;
        errors[field] =
          left > 0
            ? `Wrong OTP: ${left} attempt${left === 1 ? '' : 's'} left.`
            : 'Wrong OTP, and no attempts are left. Request new OTPs.';
      } else {
        this.d.store.markOtpVerified(otp.id, now);
      }
    }
    return Object.keys(errors).length > 0 ? fail(errors) : ok(true);
  }

  /** Finishes a registration whose OTPs are all verified: the credentials, shown once. */
  async completeRegistration(flow: Flow): Promise<Result<IssuedCredentials>> {
    if (this.d.store.currentOtps(flow.id).some((o) => o.verifiedAt === null))
      return fail({ form: 'Both OTPs must be verified first.' });
    const clientId = newClientId();
    const userName = userNameFor(flow.gstin);
    const now = this.d.clock.nowMs();
    const reserved = this.d.store.transaction(() => {
      if (!this.d.store.completeFlow(flow.id)) return 'done';
      if (!this.d.store.reserveGstin(flow.gstin, clientId, userName, now)) return 'taken';
      this.d.store.insertAccount({
        clientId,
        pan: panOf(flow.gstin),
        mobile: flow.mobile,
        email: flow.email,
        createdAt: now,
      });
      return 'ok';
    });
    if (reserved === 'done') return fail({ form: 'This registration is already complete.' });
    if (reserved === 'taken') return fail({ form: 'This GSTIN was registered meanwhile. Log in instead.' });
    const created = await createAccount(
      this.d.core,
      { userName, gstin: flow.gstin, clientId, password: generatePassword() },
      now,
    );
    this.d.logger.info({ clientId, userName, gstin: flow.gstin }, 'portal: registered');
    return ok({
      clientId,
      clientSecret: created.clientSecret,
      userName: created.userName,
      password: created.password,
      gstin: created.gstin,
    });
  }

  /** Portal login with the API user's name and password. */
  async login(userName: string, password: string, ip: string): Promise<Result<PortalUser>> {
    const errors: FieldErrors = {};
    if (userName.trim() === '') errors.userName = 'Enter your user name.';
    if (password === '') errors.password = 'Enter your password.';
    if (Object.keys(errors).length > 0) return fail(errors);
    const key = userName.trim().toLowerCase();
    const now = this.d.clock.nowMs();
    const failures = (this.loginFailures.get(key) ?? []).filter((t) => t > now - LOGIN_LOCK_MS);
    const ipFailures = (this.loginFailures.get(`ip:${ip}`) ?? []).filter((t) => t > now - LOGIN_LOCK_MS);
    if (failures.length >= LOGIN_MAX_FAILURES || ipFailures.length >= LOGIN_MAX_FAILURES * 4)
      return fail({ form: 'Too many failed logins. Wait 15 minutes and try again.' });
    const user = this.d.store.findPortalUser(userName.trim());
    const matches = await verifySecret(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !matches) {
      this.loginFailures.set(key, [...failures, now]);
      this.loginFailures.set(`ip:${ip}`, [...ipFailures, now]);
      return fail({ form: 'Wrong user name or password.' });
    }
    this.loginFailures.delete(key);
    return ok(user);
  }

  /** A new client secret; the old one stops working at once. */
  async regenerateSecret(clientId: string): Promise<string> {
    const secret = randomSecret(18);
    const secretHash = await hashSecret(secret);
    this.d.core.accounts.upsertClient({ clientId, secretHash }, this.d.clock.nowMs());
    this.d.logger.info({ clientId }, 'portal: client secret regenerated');
    return secret;
  }

  /** Starts a password reset for a logged-in user: an OTP to the registered mobile. */
  startPasswordReset(user: PortalUser, ctx: RequestContext): Result<Flow> {
    const account = this.d.store.findAccount(user.clientId);
    if (!account) return fail({ form: 'This account has no registered mobile number.' });
    const limited = this.rateLimited({
      gstin: user.gstin,
      addresses: [account.mobile],
      ip: ctx.ip,
      sends: 1,
    });
    if (limited) return fail({ form: limited });
    const flow = this.newFlow('reset', ctx.owner, {
      gstin: user.gstin,
      mobile: account.mobile,
      email: account.email,
      clientId: user.clientId,
      userName: user.userName,
    });
    this.d.store.transaction(() => {
      this.d.store.insertFlow(flow);
      this.sendOtp(flow, 'mobile', ctx.ip);
    });
    return ok(flow);
  }

  /** Completes a reset: OTP and the new password (twice), all checked before anything changes. */
  async completePasswordReset(
    flow: Flow,
    input: { otp: string; password: string; confirm: string },
  ): Promise<Result<true>> {
    const errors: FieldErrors = {};
    const problems = passwordProblems(input.password);
    if (problems.length > 0) errors.password = `The new password ${problems.join('; ')}.`;
    else if (input.password !== input.confirm) errors.confirm = 'The two passwords differ.';
    if (!/^[0-9]{6}$/.test(input.otp.trim()))
      errors.mobileOtp = `Enter the 6-digit OTP sent by SMS to ${maskAddress('mobile', flow.mobile)}.`;
    if (Object.keys(errors).length > 0) return fail(errors);
    const verified = this.verifyOtps(flow, { mobile: input.otp });
    if (!verified.ok) return verified;
    if (!this.d.store.completeFlow(flow.id)) return fail({ form: 'This reset is already complete.' });
    await createAccount(
      this.d.core,
      { userName: flow.userName!, gstin: flow.gstin, clientId: flow.clientId!, password: input.password },
      this.d.clock.nowMs(),
    );
    this.d.logger.info({ userName: flow.userName }, 'portal: password reset');
    return ok(true);
  }

  /** A further GSTIN under the account's PAN: a new API user of the same client, shown once. */
  async addGstin(clientId: string, text: string): Promise<Result<IssuedCredentials>> {
    const account = this.d.store.findAccount(clientId);
    if (!account) return fail({ form: 'Unknown account.' });
    const checked = this.checkGstin(text);
    if (!checked.ok) return checked;
    const gstin = checked.value;
    if (panOf(gstin) !== account.pan)
      return fail({
        gstin: `This GSTIN belongs to PAN ${panOf(gstin)}; this account can only add GSTINs of PAN ${account.pan}.`,
      });
    const userName = userNameFor(gstin);
    const now = this.d.clock.nowMs();
    if (!this.d.store.transaction(() => this.d.store.reserveGstin(gstin, clientId, userName, now)))
      return fail({ gstin: 'This GSTIN is already registered.' });
    const created = await createAccount(
      this.d.core,
      { userName, gstin, clientId, password: generatePassword() },
      now,
    );
    this.d.logger.info({ clientId, userName, gstin }, 'portal: GSTIN added');
    return ok({ clientId, clientSecret: '', userName, password: created.password, gstin });
  }

  private newFlow(
    kind: Flow['kind'],
    owner: string,
    who: Pick<Flow, 'gstin' | 'mobile' | 'email' | 'clientId' | 'userName'>,
  ): Flow {
    const now = this.d.clock.nowMs();
    return {
      id: randomId(),
      kind,
      owner,
      ...who,
      createdAt: now,
      expiresAt: now + FLOW_VALIDITY_MS,
      state: 'open',
    };
  }

  private rateLimited(q: {
    gstin: string;
    addresses: string[];
    ip: string;
    sends: number;
  }): string | undefined {
    const since = this.d.clock.nowMs() - RATE_WINDOW_MS;
    // Each address receives one message per request; the GSTIN and the IP count all of them.
    const over = (column: 'gstin' | 'address' | 'ip', value: string, limit: number) => {
      const { n, oldest } = this.d.store.otpsSentSince(column, value, since);
      if (n + (column === 'address' ? 1 : q.sends) <= limit) return undefined;
      const minutes =
        oldest === null
          ? 60
          : Math.max(1, Math.ceil((oldest + RATE_WINDOW_MS - this.d.clock.nowMs()) / 60_000));
      return minutes;
    };
    const gstin = over('gstin', q.gstin, RATE_LIMITS.gstin);
    if (gstin !== undefined)
      return `Too many OTPs were requested for GSTIN ${q.gstin} in the last hour. Try again in ${gstin} minutes.`;
    for (const address of q.addresses) {
      const wait = over('address', address, RATE_LIMITS.address);
      if (wait !== undefined)
        return `Too many OTPs were sent to ${address.includes('@') ? maskAddress('email', address) : maskAddress('mobile', address)} in the last hour. Try again in ${wait} minutes.`;
    }
    const ip = over('ip', q.ip, RATE_LIMITS.ip);
    if (ip !== undefined)
      return `Too many OTPs were requested from your address in the last hour. Try again in ${ip} minutes.`;
    return undefined;
  }

  /** Records an OTP (as an HMAC) and "delivers" it: the outbox of the owner, and the server log. */
  private sendOtp(flow: Flow, channel: OtpChannel, ip: string): void {
    const code = newOtpCode();
    const now = this.d.clock.nowMs();
    const address = channel === 'mobile' ? flow.mobile : flow.email;
    this.d.store.insertOtp({
      flowId: flow.id,
      channel,
      address,
      gstin: flow.gstin,
      ip,
      codeHash: this.d.keys.otpHash(flow.id, channel, code),
      createdAt: now,
      expiresAt: now + OTP_VALIDITY_MS,
    });
    const purpose =
      flow.kind === 'register' ? `registration of GSTIN ${flow.gstin}` : `password reset of ${flow.userName}`;
    const subject = channel === 'mobile' ? 'SMS' : 'IRP sandbox: your OTP';
    const body = `${code} is your OTP for the IRP sandbox ${purpose}. It is valid for 10 minutes. Do not share it with anyone.`;
    this.d.store.insertOutbox({ owner: flow.owner, channel, address, subject, body, createdAt: now });
    // Sandbox delivery: the OTP is in the log on purpose (the issue of a real SMS/e-mail gateway).
    this.d.logger.info({ channel, to: address, otp: code, purpose }, 'portal outbox: OTP sent');
  }
}
