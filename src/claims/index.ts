/**
 * The claims domain, built on the generic core: its tables and migrations, tenant scope with
 * repositories ({@link claimsTenant}), streaming CSV ingestion, payer drift detection, its
 * lists, and its HTTP operations table ({@link claimsOperations}) with presenters and
 * resource schemas. An app that does not handle claims never imports this module.
 *
 * @example
 * ```ts
 * import { claimsTenant, claimsOperations, listClaims } from '@upstreamjs/upstream/claims'
 * const page = await listClaims(claimsTenant(upstream, 7), req.query, { url })
 * ```
 *
 * @packageDocumentation
 * @module claims
 */
export * from './core/index.js'
export * from './repositories/index.js'
export * from './ingestion/index.js'
export * from './drift/index.js'
export * from './lists/index.js'
export * from './presenters/index.js'
export * from './http/index.js'
export * from './openapi/index.js'
export * from './migrations/index.js'
export * from './jobs/index.js'
