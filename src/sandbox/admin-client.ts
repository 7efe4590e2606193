/**
 * A small client of the sandbox's admin API (README: Admin API), for the code that drives a sandbox it
 * started: the embedded demo, benchmarks and tests. Plain JSON over HTTP with the admin secret header.
 */
import { ADMIN_SECRET_HEADER } from './http/admin-api.js';

export interface SandboxAdmin {
  /** One admin call; rejects with the status and body when the sandbox refuses it. */
  call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** `POST accounts`: an API login for `gstin`, with its generated client id, secret and password. */
  createAccount(userName: string, gstin: string): Promise<AccountCredentials>;
}

export interface AccountCredentials {
  gstin: string;
  clientId: string;
  clientSecret: string;
  userName: string;
  password: string;
}

export function sandboxAdmin({
  baseUrl,
  adminSecret,
}: {
  baseUrl: string;
  adminSecret: string;
}): SandboxAdmin {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}/sandbox/admin/${path}`, {
      method,
      headers: { [ADMIN_SECRET_HEADER]: adminSecret, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    call,
    createAccount: async (userName, gstin) => {
      const c = await call<Record<string, string>>('POST', 'accounts', { userName, gstin });
      return {
        gstin,
        clientId: c.clientId!,
        clientSecret: c.clientSecret!,
        userName: c.userName!,
        password: c.password!,
      };
    },
  };
}
