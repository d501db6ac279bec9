import { UpstreamError, type ErrorBody } from '../../errors/index.js'

/**
 * The request's `Host` header is malformed (`a b`, `[`, `%zz`, a port past 65535), or
 * names a host the handler does not serve (`allowedHosts`): 400
 * `{"detail": "Invalid Host header."}`. The header's value is never echoed.
 *
 * @example
 * ```ts
 * createHttpHandler({ upstream, allowedHosts: ['api.example.com'] })
 * // Host: evil.example -> 400 {"detail": "Invalid Host header."}
 * ```
 */
export class InvalidHostError extends UpstreamError {
  readonly code = 'invalid_host'
  override readonly status = 400
  override responseBody(): ErrorBody {
    return { detail: this.message }
  }
  constructor(options?: { cause?: unknown }) {
    super('Invalid Host header.', options)
  }
}
