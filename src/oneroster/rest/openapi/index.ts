/** OneRoster discovery: EdHub's own OpenAPI 3.0 description of each OneRoster base, built from the REST tables. */
export { buildOneRosterOpenApi } from './build-document.js';
export type { Json } from './component-schemas.js';
export { type DiscoveryRequest, type DiscoveryResponse, discoveryResponse } from './discovery.js';
export { type DiscoveryDocument, discoveryDocumentFor, discoveryDocuments } from './documents.js';
export { entitySchemaName, refSchemaName, setSchemaName, singleSchemaName } from './schema-names.js';
export { createSchemaValidator, type OneRosterSchemaValidator, type SchemaViolation } from './schema-validator.js';
