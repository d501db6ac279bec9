import { createHttpHandler, type HttpHandler, type HttpHandlerOptions, type Operation } from '../../http/index.js'
import { claimsTenant, type ClaimsDatabase, type ClaimsTenantScope } from '../core/index.js'
import { CLAIMS_TAGS, claimsOperations, type ClaimsOperationsOptions } from './claims-operations.js'
import { CLAIMS_API_DESCRIPTION } from './claims-openapi-document.js'

/**
 * Options of {@link createClaimsHttpHandler}: the HTTP core's, the claims operations', and the
 * app's own operations to serve beside them.
 *
 * @example
 * ```ts
 * const options: ClaimsHttpHandlerOptions = { upstream, throttle: { capacity: 60, refillPerSecond: 1 }, maxUploadBytes: 50 * 1024 * 1024 }
 * ```
 */
export interface ClaimsHttpHandlerOptions
  extends Omit<HttpHandlerOptions<ClaimsDatabase, ClaimsTenantScope>, 'operations' | 'tenant'>,
    ClaimsOperationsOptions {
  /** The app's own operations, routed and documented beside the claims API's. */
  readonly operations?: readonly Operation<ClaimsTenantScope>[]
}


/**
 * The whole claims API as one handler: {@link claimsOperations} (plus the app's own) on the
 * HTTP core with the claims tenant scope, and its OpenAPI document at `/schema/`.
 *
 * @example
 * ```ts
 * const handle = createClaimsHttpHandler({ upstream, throttle: { capacity: 60, refillPerSecond: 1 } })
 * app.use('/api/v1', async (req, res) => writeNodeResponse(res, await handle(fromNodeRequest(req))))
 * ```
 */
export function createClaimsHttpHandler(options: ClaimsHttpHandlerOptions): HttpHandler {
  const { services, drift, onDriftRun, maxUploadBytes, cursorSecret, countCache, jobs, exportBatchSize, operations = [], schema, ...core } = options
  return createHttpHandler<ClaimsDatabase, ClaimsTenantScope>({
    ...core,
    tenant: claimsTenant,
    operations: [...claimsOperations({ services, drift, onDriftRun, maxUploadBytes, cursorSecret, countCache, jobs, exportBatchSize }), ...operations],
    schema: schema === false ? false : { title: 'upstream API', description: CLAIMS_API_DESCRIPTION, tags: CLAIMS_TAGS, ...schema },
  })
}
