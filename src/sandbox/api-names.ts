/** The IRP APIs by a stable short name: used to scope faults, in logs and in the admin stats. */
export const API_NAMES = [
  'auth',
  'generate-irn',
  'get-irn',
  'get-irn-by-doc',
  'cancel-irn',
  'gstin-details',
  'sync-gstin',
  'generate-ewb',
  'get-ewb',
  'cancel-ewb',
] as const;

export type ApiName = (typeof API_NAMES)[number];
