/** The natural-JSON reading lives with the Avro adapter (`irp-bridge backfill` reads ERP exports with it). */
export { fromNaturalJson } from '../../src/adapters/avro/natural-json.js';
