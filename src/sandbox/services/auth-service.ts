/**
 * Login (auth v1.04 and v1.03) and the per-call token check, with NIC's token rules (§4):
 * - a token is valid for `tokenValidityMs` (sandbox: 60 minutes);
 * - logging in again while it is valid returns the same token (and SEK): one credential set is one session;
 * - `ForceRefreshAccessToken: true` issues a new token only in the last 10 minutes of validity.
 *   Earlier, NIC documents nothing (UNCONFIRMED): the sandbox is lenient and returns the same token.
 * - an unknown, revoked or expired token is 1005; a `Gstin` header other than the token's is 1015.
 */
import { randomBytes } from 'node:crypto';
import {
  encryptSek,
  generateSek,
  getMemberIgnoringCase,
  parseAuthPayloadV103,
  parseAuthPayloadV104,
  type AuthCredentials,
  type AuthPayloadResult,
} from '../../irp/crypto.js';
import { formatIrpDateTimeToMinute } from '../../irp/dates.js';
import type { SandboxClock } from '../clock.js';
import type { SandboxKeys } from '../keys/key-material.js';
import type { SandboxStore } from '../store/index.js';
import type { AuthToken, TokenFilter } from '../store/tokens-repo.js';
import {
  explained,
  failure,
  failureBecause,
  throttled,
  success,
  type Failure,
  type Outcome,
} from './outcome.js';
import type { SecretVerifier } from './secrets.js';
import { DEFAULT_LIMITS, FailureLimiter, type SandboxLimits } from '../http/limits.js';
import { RsaPoolBusyError } from '../keys/rsa-pool.js';
import type { CredentialHeaders, Session } from './session.js';
import type { TaxpayerMaster } from './taxpayer-master.js';

export const FORCE_REFRESH_WINDOW_MS = 10 * 60 * 1000;

/** Auth response `Data` (not encrypted; only `Sek` is). */
export interface AuthResponseData {
  ClientId: string;
  UserName: string;
  AuthToken: string;
  Sek: string;
  TokenExpiry: string;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 25 alphanumeric characters, the shape of NIC's tokens. Rejection sampling keeps it unbiased. */
function newTokenText(): string {
  let out = '';
  while (out.length < 25) {
    for (const byte of randomBytes(32)) {
      if (byte < 248 && out.length < 25) out += TOKEN_ALPHABET[byte % 62];
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PAYLOAD_FAILURE_CODES = {
  malformed: '1007',
  'password-decryption': '1013',
  'appkey-decryption': '1016',
  'missing-user-name': '1006',
  'missing-password': '1008',
} as const;

/** The secrets of one successful login: what a secret scan must never find in a client's logs or outputs. */
export interface SessionSecrets {
  /** The AppKey the client chose and sent (RSA-encrypted) in its login. */
  appKey: Buffer;
  authToken: string;
  sek: Buffer;
}

export class AuthService {
  /** Failed passwords (and users of another client) per user name: no unlimited probing (1008/1018/1019). */
  private readonly loginFailures: FailureLimiter;
  /** Failed client secrets per client id (each costs an scrypt). */
  private readonly secretFailures: FailureLimiter;

  constructor(
    private readonly store: SandboxStore,
    private readonly keys: SandboxKeys,
    private readonly clock: SandboxClock,
    private readonly verifier: SecretVerifier,
    private readonly master: TaxpayerMaster,
    private readonly tokenValidityMs: number,
    limits: Pick<
      SandboxLimits,
      'maxLoginFailures' | 'maxSecretFailures' | 'lockoutWindowMs'
    > = DEFAULT_LIMITS,
    private readonly onLogin?: (session: SessionSecrets) => void,
  ) {
    this.loginFailures = new FailureLimiter(limits.maxLoginFailures, limits.lockoutWindowMs);
    this.secretFailures = new FailureLimiter(limits.maxSecretFailures, limits.lockoutWindowMs);
  }

  /**
   * The client headers of a login alone (1011/1012/1010), checked before the body is read: a caller
   * without valid client credentials never gets the sandbox to buffer or decrypt anything.
   */
  async checkClientHeaders(headers: CredentialHeaders): Promise<Failure | undefined> {
    return this.missingClientHeaders(headers) ?? (await this.checkClient(headers));
  }

  /** `POST /eivital/v1.04/auth`: body `{"Data": RSA(base64(JSON))}`, headers client id/secret and Gstin. */
  async loginV104(headers: CredentialHeaders, body: unknown): Promise<Outcome<AuthResponseData>> {
    const missing = this.missingClientHeaders(headers) ?? (headers.gstin ? undefined : failure('1004'));
    if (missing) return missing;
    const clientFailure = await this.checkClient(headers);
    if (clientFailure) return clientFailure;
    const data = isRecord(body) ? getMemberIgnoringCase(body, 'Data') : undefined;
    return this.login(headers, () => parseAuthPayloadV104(data, this.keys.decryptPkcs1), headers.gstin);
  }

  /** `POST /eivital/v1.03/auth`: body `{"data": {UserName, Password: RSA, AppKey: RSA, ...}}`, no Gstin header. */
  async loginV103(headers: CredentialHeaders, body: unknown): Promise<Outcome<AuthResponseData>> {
    const missing = this.missingClientHeaders(headers);
    if (missing) return missing;
    const clientFailure = await this.checkClient(headers);
    if (clientFailure) return clientFailure;
    // UNCONFIRMED whether NIC accepts the fields unwrapped; the sandbox does.
    const wrapped = isRecord(body) ? getMemberIgnoringCase(body, 'data') : undefined;
    const data = wrapped ?? body;
    return this.login(headers, () => parseAuthPayloadV103(data, this.keys.decryptPkcs1), headers.gstin);
  }

  private missingClientHeaders(headers: CredentialHeaders): Failure | undefined {
    if (!headers.clientId) return failure('1011');
    if (!headers.clientSecret) return failure('1012');
    return undefined;
  }

  private async checkClient(headers: CredentialHeaders): Promise<Failure | undefined> {
    const client = this.store.accounts.findClient(headers.clientId!);
    if (!client) return failureBecause('unknown client id', '1010');
    const key = client.clientId;
    const blocked = this.secretFailures.blockedFor(key, this.clock.nowMs());
    if (blocked > 0)
      return throttled('too many wrong client secrets for this client id; try again later', blocked);
    if (!(await this.verifier.verify(headers.clientSecret!, client.secretHash))) {
      this.secretFailures.fail(key, this.clock.nowMs());
      return failureBecause('wrong client secret', '1010');
    }
    return undefined;
  }

  private async login(
    headers: CredentialHeaders,
    parse: () => Promise<AuthPayloadResult>,
    gstinHeader: string | undefined,
  ): Promise<Outcome<AuthResponseData>> {
    let parsed: AuthPayloadResult;
    try {
      parsed = await parse();
    } catch (err) {
      if (err instanceof RsaPoolBusyError) return throttled('too many logins are being decrypted', 1000);
      throw err;
    }
    if (!parsed.ok) {
      const code = PAYLOAD_FAILURE_CODES[parsed.failure];
      return parsed.detail ? explained(code, parsed.detail) : failure(code);
    }
    const credentials: AuthCredentials = parsed.credentials;
    // Probing is bounded per user name: after maxLoginFailures failures in the window every login of
    // that name is refused (429) without checking the password, so guesses stop telling anything.
    const userKey = credentials.userName.toLowerCase();
    const nowMs = this.clock.nowMs();
    const blocked = this.loginFailures.blockedFor(userKey, nowMs);
    if (blocked > 0) return throttled('too many failed logins for this user name; try again later', blocked);
    const user = this.store.accounts.findUser(credentials.userName);
    if (!user) {
      this.loginFailures.fail(userKey, nowMs);
      return failure('1008');
    }
    // The client mapping is checked before the password: another client's credentials can never
    // confirm a guessed password (a right guess used to turn 1019 into 1018).
    if (user.clientId !== headers.clientId) {
      this.loginFailures.fail(userKey, nowMs);
      return failure('1018');
    }
    if (!(await this.verifier.verify(credentials.password, user.passwordHash))) {
      this.loginFailures.fail(userKey, nowMs);
      return failure('1019');
    }
    this.loginFailures.clear(userKey);
    if (gstinHeader !== undefined && gstinHeader.toUpperCase() !== user.gstin) return failure('1015');
    const taxpayer = this.master.lookup(user.gstin);
    if (taxpayer && taxpayer.status !== 'ACT') return failure('1014');

    const token = this.issueOrReuse(
      user.clientId,
      user.userName,
      user.gstin,
      credentials.forceRefreshAccessToken,
    );
    this.onLogin?.({ appKey: credentials.appKey, authToken: token.token, sek: token.sek });
    return success({
      ClientId: user.clientId,
      UserName: user.userName,
      AuthToken: token.token,
      Sek: encryptSek(token.sek, credentials.appKey),
      TokenExpiry: formatIrpDateTimeToMinute(new Date(token.expiresAt)),
    });
  }

  /** Find-or-issue in one transaction, so two concurrent logins of a session agree on one token. */
  private issueOrReuse(clientId: string, userName: string, gstin: string, forceRefresh: boolean): AuthToken {
    const nowMs = this.clock.nowMs();
    return this.store.transaction(() => {
      const live = this.store.tokens.findLiveSession(clientId, userName, gstin, nowMs);
      if (live) {
        const inRefreshWindow = live.expiresAt - nowMs <= FORCE_REFRESH_WINDOW_MS;
        if (!(forceRefresh && inRefreshWindow)) return live;
        this.store.tokens.revoke(live.token, nowMs);
      }
      const token: AuthToken = {
        token: newTokenText(),
        clientId,
        userName,
        gstin,
        sek: generateSek(),
        issuedAt: nowMs,
        // To the minute, as NIC's TokenExpiry shows it: the token lives exactly until the time it states.
        expiresAt: Math.floor((nowMs + this.tokenValidityMs) / 60_000) * 60_000,
      };
      this.store.tokens.insert(token);
      return token;
    });
  }

  /**
   * The token check of every API call after login. `requireUserName` is false only for Cancel EWB,
   * which follows the e-way-bill headers (no user name).
   */
  async authenticate(
    headers: CredentialHeaders,
    requireUserName: boolean,
  ): Promise<{ ok: true; session: Session } | Failure> {
    const missing =
      this.missingClientHeaders(headers) ??
      (!headers.gstin ? failure('1004') : undefined) ??
      (requireUserName && !headers.userName ? failure('1006') : undefined) ??
      (!headers.authToken ? failure('1005') : undefined);
    if (missing) return missing;
    const clientFailure = await this.checkClient(headers);
    if (clientFailure) return clientFailure;

    const token = this.store.tokens.findLive(headers.authToken!, this.clock.nowMs());
    if (!token) return failureBecause('AuthToken unknown, revoked or expired', '1005');
    if (token.clientId !== headers.clientId)
      return failureBecause('AuthToken was issued to another client id', '1005');
    if (headers.userName && headers.userName.toLowerCase() !== token.userName.toLowerCase())
      return failureBecause('AuthToken was issued to another user_name', '1005');
    if (headers.gstin!.toUpperCase() !== token.gstin)
      return failureBecause('Gstin header is not the GSTIN the AuthToken was issued for', '1015');
    const session: Session = {
      token: token.token,
      clientId: token.clientId,
      userName: token.userName,
      gstin: token.gstin,
      sek: token.sek,
    };
    if (headers.supplierGstin) session.supplierGstin = headers.supplierGstin.toUpperCase();
    return { ok: true, session };
  }

  /** Revokes live tokens (admin API, faults); returns how many. */
  revokeTokens(filter: TokenFilter): number {
    return this.store.tokens.revokeMatching(filter, this.clock.nowMs());
  }
}
