import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { avroDecoderFromConfig } from '../../../../src/adapters/avro/from-config.js';
import { AvroEventDecoder } from '../../../../src/adapters/avro/avro-decoder.js';
import { SchemaRegistryClient } from '../../../../src/adapters/avro/schema-registry-client.js';
import { INVOICE_V1, INVOICE_V2, INVOICE_V3, recordV2, v2 } from './schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'irp-bridge-avro-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const connector = { avroSchema: INVOICE_V1 };

describe('avroDecoderFromConfig', () => {
  it('defaults to raw with the connector schema', async () => {
    const built = avroDecoderFromConfig(undefined, connector, { baseDir: dir });
    expect(built.decoder).toBeInstanceOf(AvroEventDecoder);
    expect(built.decoder.wireFormat).toBe('raw');
    expect(built.registry).toBeUndefined();
    await built.close();
  });

  it('reads schemaFile relative to the config folder as the raw writer schema', async () => {
    writeFileSync(join(dir, 'v2.avsc'), JSON.stringify(INVOICE_V2));
    const built = avroDecoderFromConfig({ schemaFile: 'v2.avsc' }, connector, { baseDir: dir });
    expect(await built.decoder.decode(v2.toBuffer(recordV2))).toMatchObject({
      ok: true,
      record: { id: 'INV-2', note: null },
    });
  });

  it('stops at start-up for a schema file that is missing, not JSON, or not resolvable', () => {
    expect(() => avroDecoderFromConfig({ schemaFile: 'nope.avsc' }, connector, { baseDir: dir })).toThrow(
      /avro.schemaFile .*ENOENT/,
    );
    writeFileSync(join(dir, 'bad.avsc'), '{');
    expect(() => avroDecoderFromConfig({ schemaFile: 'bad.avsc' }, connector, { baseDir: dir })).toThrow(
      /not JSON/,
    );
    writeFileSync(join(dir, 'v3.avsc'), JSON.stringify(INVOICE_V3));
    expect(() => avroDecoderFromConfig({ schemaFile: 'v3.avsc' }, connector, { baseDir: dir })).toThrow(
      /cannot be read/,
    );
  });

  it('uses the confluent format when a registry is configured, with the password from its secret', async () => {
    const built = avroDecoderFromConfig(
      {
        registry: {
          url: 'http://127.0.0.1:1/apis/ccompat/v7',
          username: 'svc',
          password: { env: 'REG_PW' },
          timeoutMs: 1234,
        },
      },
      connector,
      { baseDir: dir, env: { REG_PW: 'secret' } },
    );
    expect(built.decoder.wireFormat).toBe('confluent');
    expect(built.registry).toBeInstanceOf(SchemaRegistryClient);
    expect(built.registry?.url).toBe('http://127.0.0.1:1/apis/ccompat/v7');
    await built.close();
  });

  it('names the setting when the registry password cannot be resolved, without a value', () => {
    expect(() =>
      avroDecoderFromConfig(
        { registry: { url: 'http://127.0.0.1:1', username: 'svc', password: { env: 'MISSING_PW' } } },
        connector,
        { baseDir: dir, env: {} },
      ),
    ).toThrow(/avro.registry.password: environment variable MISSING_PW is not set/);
  });

  it('refuses the confluent format without a registry', () => {
    expect(() => avroDecoderFromConfig({ wireFormat: 'confluent' }, connector, { baseDir: dir })).toThrow(
      /avro.registry/,
    );
  });
});
