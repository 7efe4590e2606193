/**
 * Credential headers under every spelling clients use (§1): NIC pages print `client_id`, NIC's Java
 * sample and many clients send `client-id`; the e-way-bill APIs use `authtoken`. Node lower-cases
 * header names, so case never matters; underscore versus hyphen is a different name and both are read.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialHeaders } from '../services/session.js';

const ALIASES: Record<keyof CredentialHeaders, readonly string[]> = {
  clientId: ['client_id', 'client-id', 'clientid'],
  clientSecret: ['client_secret', 'client-secret', 'clientsecret'],
  gstin: ['gstin'],
  userName: ['user_name', 'username', 'user-name'],
  authToken: ['authtoken', 'auth-token', 'auth_token'],
  supplierGstin: ['sup_gstin', 'sup-gstin'],
};

function first(headers: IncomingHttpHeaders, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined && text.trim() !== '') return text.trim();
  }
  return undefined;
}

export function readCredentialHeaders(headers: IncomingHttpHeaders): CredentialHeaders {
  const out: CredentialHeaders = {};
  for (const key of Object.keys(ALIASES) as (keyof CredentialHeaders)[]) {
    const value = first(headers, ALIASES[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
