/**
 * The OpenAPI 3.1 document of the sandbox's IRP APIs, rendered from the same documentation list as the
 * portal's pages (itself built from the server's routes and codecs). Encrypted bodies are described as
 * what travels (`{"Data": base64}`), with the decrypted JSON's schema under `x-irp-plaintext`.
 */
import { irpError } from '../../../irp/errors.js';
import type { ApiDoc } from './api-docs.js';
import { newSchemaContext, toJsonSchema, type JsonSchema } from './json-schema.js';

const ENVELOPE: JsonSchema = {
  type: 'object',
  description: 'The IRP envelope: HTTP 200 for every business outcome.',
  required: ['Status'],
  properties: {
    Status: { type: 'integer', enum: [0, 1], description: '1 success, 0 failure' },
    Data: {
      description:
        'Success: base64 of AES-256-ECB(SEK, JSON) — plain JSON for auth, whose Sek alone is encrypted.',
      type: ['string', 'object', 'null'],
    },
    ErrorDetails: { type: ['array', 'null'], items: { $ref: '#/components/schemas/ErrorDetail' } },
    InfoDtls: {
      type: ['array', 'null'],
      items: { type: 'object', properties: { InfCd: { type: 'string' }, Desc: {} } },
    },
  },
};

const ERROR_DETAIL: JsonSchema = {
  type: 'object',
  required: ['ErrorCode', 'ErrorMessage'],
  properties: { ErrorCode: { type: 'string' }, ErrorMessage: { type: 'string' } },
};

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function requestBody(doc: ApiDoc, plaintext: JsonSchema | undefined): JsonSchema | undefined {
  const media = (schema: JsonSchema, example: unknown): JsonSchema => ({
    content: {
      'application/json': {
        schema,
        ...(example === undefined ? {} : { example }),
        ...(plaintext ? { 'x-irp-plaintext': plaintext } : {}),
      },
    },
    required: true,
  });
  switch (doc.body) {
    case 'none':
      return undefined;
    case 'json':
      return media(
        {
          type: 'object',
          required: ['Data'],
          properties: {
            Data: {
              type: 'string',
              contentEncoding: 'base64',
              description: 'AES-256-ECB(SEK, the JSON of x-irp-plaintext)',
            },
          },
        },
        { Data: '<base64 AES(SEK, JSON)>' },
      );
    case 'ewb':
      return media(
        {
          type: 'object',
          required: ['action', 'data'],
          properties: {
            action: { const: 'CANEWB' },
            data: {
              type: 'string',
              contentEncoding: 'base64',
              description: 'AES-256-ECB(SEK, base64 of the JSON of x-irp-plaintext)',
            },
          },
        },
        { action: 'CANEWB', data: '<base64 AES(SEK, base64(JSON))>' },
      );
    case 'auth-v1.04':
      return media(
        {
          type: 'object',
          required: ['Data'],
          properties: {
            Data: {
              type: 'string',
              contentEncoding: 'base64',
              description:
                'RSA PKCS#1 v1.5 (sandbox public key) of the base64 of the JSON of x-irp-plaintext',
            },
          },
        },
        { Data: '<base64 RSA(base64(JSON))>' },
      );
    case 'auth-v1.03':
      return media(plaintext ?? {}, doc.request?.sample);
  }
}

export function openApiDocument(
  docs: readonly ApiDoc[],
  options: { serverUrl: string; version: string },
): JsonSchema {
  const ctx = newSchemaContext();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const plaintext = doc.request ? toJsonSchema(doc.request.codec, ctx) : undefined;
    const data = doc.response ? toJsonSchema(doc.response.codec, ctx) : undefined;
    const firstError = doc.errors[0];
    doc.paths.forEach((path, index) => {
      const parameters = [
        ...doc.headers.map((h) => ({
          name: h.name,
          in: 'header',
          required: h.required,
          description: h.description,
          schema: { type: 'string' },
        })),
        ...(doc.pathParams ?? []).map((p) => ({
          name: p.name,
          in: 'path',
          required: true,
          description: p.description,
          schema: { type: 'string' },
          example: p.example,
        })),
        ...(doc.query ?? []).map((q) => ({
          name: q.name,
          in: 'query',
          required: q.required,
          description: q.description,
          schema: { type: 'string' },
          example: q.example,
        })),
      ].filter((p) => p.name.toLowerCase() !== 'content-type');
      const body = requestBody(doc, plaintext);
      const operation: Record<string, unknown> = {
        operationId: index === 0 ? doc.slug : `${doc.slug}-alias-${index}`,
        summary: doc.title,
        description: [
          doc.summary,
          ...(doc.notes ?? []),
          `Errors: ${doc.errors.map((e) => `${e.code} (${e.when})`).join('; ')}.`,
        ].join('\n\n'),
        tags: [doc.api],
        parameters,
        ...(body ? { requestBody: body } : {}),
        responses: {
          '200': {
            description: 'The IRP envelope (success or failure)',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/IrpEnvelope' },
                ...(data ? { 'x-irp-plaintext': data } : {}),
                examples: {
                  success: {
                    summary: 'Success',
                    value: {
                      Status: 1,
                      Data: doc.body.startsWith('auth') ? doc.response?.sample : '<base64 AES(SEK, JSON)>',
                      ErrorDetails: null,
                      InfoDtls: null,
                    },
                  },
                  ...(firstError
                    ? {
                        failure: {
                          summary: `Failure ${firstError.code}`,
                          value: {
                            Status: 0,
                            Data: null,
                            ErrorDetails: [irpError(firstError.code)],
                            InfoDtls: null,
                          },
                        },
                      }
                    : {}),
                },
              },
            },
          },
          '404': { description: 'Unknown path (envelope with 5001)' },
          '405': { description: 'Wrong method (envelope with 5001)' },
          '500': { description: 'The sandbox failed (envelope with 5001)' },
        },
      };
      paths[openApiPath(path)] = {
        ...(paths[openApiPath(path)] ?? {}),
        [doc.method.toLowerCase()]: operation,
      };
    });
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'irp-bridge IRP sandbox',
      version: options.version,
      summary: "A simulator of NIC's e-invoice IRP API",
      description:
        'Every IRP API the sandbox serves, generated from its route table and codecs. Encrypted bodies: see x-irp-plaintext for the JSON inside. The developer portal at / shows each step in its console.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: options.serverUrl }],
    paths,
    components: {
      schemas: {
        IrpEnvelope: ENVELOPE,
        ErrorDetail: ERROR_DETAIL,
        ...Object.fromEntries(ctx.definitions),
      },
    },
  };
}
