/**
 * What a source config sends in clear text, said once at start (`run` logs each as a warning,
 * `check-config` prints them): an `http://` IRP (credentials, AppKey, SEK and invoices), an `http://`
 * schema registry with a password, SASL without TLS (PLAIN sends the password itself; with SCRAM the
 * records still travel in clear). Loopback addresses are named as such, since a local sandbox or a
 * sidecar is a usual, deliberate setup.
 */
import type { SourceConfig } from '../config/source-config.js';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

function plainHttp(url: string | undefined): { host: string; loopback: boolean } | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' ? { host: u.host, loopback: LOOPBACK.test(u.hostname) } : undefined;
  } catch {
    return undefined;
  }
}

export function transportWarnings(config: SourceConfig): string[] {
  const out: string[] = [];
  const irp = plainHttp(config.irp.baseUrl);
  if (irp)
    out.push(
      `irp.baseUrl is plain http:// (${irp.host}${irp.loopback ? ', loopback' : ''}): IRP credentials, the AppKey, the SEK and every invoice travel unencrypted; use https:// outside a local sandbox`,
    );
  const registry = config.avro?.registry;
  const reg = plainHttp(registry?.url);
  if (reg && registry?.password)
    out.push(
      `avro.registry.url is plain http:// (${reg.host}${reg.loopback ? ', loopback' : ''}) with a password: it travels in clear on every request`,
    );
  const { sasl, ssl } = config.kafka;
  if (sasl && !ssl?.enabled)
    out.push(
      sasl.mechanism === 'plain'
        ? 'kafka.sasl is PLAIN without kafka.ssl: the SASL password and every record travel in clear'
        : `kafka.sasl is ${sasl.mechanism.toUpperCase()} without kafka.ssl: the records travel in clear`,
    );
  if (ssl?.enabled && ssl.rejectUnauthorized === false)
    out.push(
      'kafka.ssl.rejectUnauthorized is false: any broker certificate is accepted (no protection from a man in the middle)',
    );
  return out;
}
