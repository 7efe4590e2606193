/**
 * Configuration secrets registered by the parts that resolve them, for the life of the process (issue
 * 14, item 15): the schema-registry password as the Avro decoder is built, and whatever the CLI
 * registers through `registerSecret`, however short.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { connectors } from '../../../connectors/registry.js';
import { avroDecoderFromConfig } from '../../../src/adapters/avro/from-config.js';
import { REDACTED, globalSecretRegistry } from '../../../src/irp/client/redact.js';
import { createLogger, registerSecret } from '../../../src/ops/logging.js';

describe('configuration secrets', () => {
  it('the schema-registry password is registered when the decoder is built', async () => {
    const built = avroDecoderFromConfig(
      {
        wireFormat: 'confluent',
        registry: { url: 'http://127.0.0.1:9', username: 'reader', password: { env: 'SR_PASSWORD' } },
      },
      connectors.sap,
      { baseDir: '/', env: { SR_PASSWORD: 'sr-Pa55word-unit' } },
    );
    await built.close();
    expect(globalSecretRegistry.scrub('registry login sr-Pa55word-unit failed')).toBe(
      `registry login ${REDACTED} failed`,
    );
  });

  it('the process logger never prints a registered short secret, nor a secret-named member', () => {
    registerSecret('Zq7');
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }) as never,
    );
    log.info({ kafka: { saslPassword: 'not-registered-9' }, hint: 'password Zq7 rejected' }, 'connect');
    const text = lines.join('');
    expect(text).not.toContain('Zq7');
    expect(text).not.toContain('not-registered-9');
    JSON.parse(text.trim());
  });
});
