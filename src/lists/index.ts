export { claimsListSpec, uploadClaimsListSpec } from './claims-list-spec.js'
export { driftEventsListSpec, driftReportsListSpec } from './drift-list-specs.js'
export { failedUploadsListSpec, uploadsListSpec } from './uploads-list-spec.js'
