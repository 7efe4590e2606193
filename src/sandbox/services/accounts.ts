/**
 * API accounts: the demo account every sandbox has, and accounts created through the admin API.
 *
 * The demo account's client secret and password are random per database. Only their scrypt hashes
 * are in the account tables; the plaintext of this one account is also kept in `meta`, because the
 * sandbox must be able to write the credentials file again after a restart over the same database.
 * That is the only plaintext secret in the store, and it belongs to a throw-away test account.
 */
import { randomBytes } from 'node:crypto';
import { DEMO_GSTIN } from '../seed/taxpayers.js';
import type { SandboxStore } from '../store/index.js';
import { hashSecret, randomSecret } from './secrets.js';

export interface AccountCredentials {
  clientId: string;
  clientSecret: string;
  userName: string;
  password: string;
  gstin: string;
}

const DEMO_META_KEY = 'demo_account';

/** Looks like an NIC client id: upper-case letters and digits. */
export function newClientId(): string {
  return `SBX${randomBytes(8).toString('hex').toUpperCase()}`;
}

/** Meets NIC's portal password rule (upper, lower, digit, special — error 3003) and stays short. */
function newPassword(): string {
  return `Sx9@${randomSecret(9)}`;
}

export async function ensureDemoAccount(
  store: SandboxStore,
  nowMs: number,
  gstin = DEMO_GSTIN,
): Promise<AccountCredentials> {
  const saved = store.meta.get(DEMO_META_KEY);
  if (saved) {
    const credentials = JSON.parse(saved) as AccountCredentials;
    if (store.accounts.findUser(credentials.userName)) return credentials;
  }
  const credentials: AccountCredentials = {
    clientId: newClientId(),
    clientSecret: randomSecret(18),
    userName: 'demo_user',
    password: newPassword(),
    gstin,
  };
  await createAccount(store, credentials, nowMs);
  store.meta.put(DEMO_META_KEY, JSON.stringify(credentials));
  return credentials;
}

export interface NewAccountRequest {
  userName: string;
  password?: string;
  gstin: string;
  clientId?: string;
  clientSecret?: string;
}

/**
 * Creates (or replaces) a user, under an existing client or a new one. Returns the credentials; the
 * client secret is only known, and returned, when the client is new or its secret was given.
 */
export async function createAccount(
  store: SandboxStore,
  request: NewAccountRequest,
  nowMs: number,
): Promise<AccountCredentials & { clientCreated: boolean }> {
  const clientId = request.clientId ?? newClientId();
  const existingClient = store.accounts.findClient(clientId);
  const clientSecret = request.clientSecret ?? (existingClient ? '' : randomSecret(18));
  const password = request.password ?? newPassword();
  const [secretHash, passwordHash] = await Promise.all([
    clientSecret && (!existingClient || request.clientSecret)
      ? hashSecret(clientSecret)
      : Promise.resolve(undefined),
    hashSecret(password),
  ]);
  store.transaction(() => {
    if (secretHash) store.accounts.upsertClient({ clientId, secretHash }, nowMs);
    store.accounts.upsertUser(
      { userName: request.userName, clientId, passwordHash, gstin: request.gstin.toUpperCase() },
      nowMs,
    );
  });
  return {
    clientId,
    clientSecret,
    userName: request.userName,
    password,
    gstin: request.gstin.toUpperCase(),
    clientCreated: !existingClient,
  };
}
