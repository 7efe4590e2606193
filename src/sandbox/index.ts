/** The IRP sandbox's public surface. */
export { createSandbox, writeCredentialsFile, DEFAULT_MAX_BODY_BYTES } from './sandbox.js';
export type { RunningSandbox, SandboxCredentials, SandboxOptions } from './sandbox.js';
export type { SessionSecrets } from './services/auth-service.js';
export type { FaultProfile, FaultRule } from './faults/fault-profile.js';
export { decodeFaultProfile } from './faults/fault-profile.js';
export { API_NAMES, type ApiName } from './api-names.js';
export { ADMIN_SECRET_HEADER } from './http/admin-api.js';
export { sandboxAdmin, type SandboxAdmin, type AccountCredentials } from './admin-client.js';
export { PUBLIC_KEY_PATH, SIGNING_CERT_PATH, HEALTH_PATH } from './http/server.js';
export { DEMO_GSTIN, DEMO_BUYER_GSTIN, DEMO_LARGE_TAXPAYER_GSTIN } from './seed/taxpayers.js';
