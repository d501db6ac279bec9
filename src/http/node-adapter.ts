import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { HttpLogger } from './http-logger.js'
import type { HttpRequest } from './http-request.js'
import type { HttpResponse } from './http-response.js'
import type { Principal } from './principal.js'

/**
 * Options of {@link fromNodeRequest}.
 *
 * @example
 * ```ts
 * fromNodeRequest(req, { originalUrl: req.originalUrl, origin: 'https://api.example.com', logger: req.log })
 * ```
 */
export interface FromNodeRequestOptions {
  /** The path and query as the client sent them (Express: `req.originalUrl`). Default `req.url`. */
  readonly originalUrl?: string
  /** The absolute origin (`https://api.example.com`). Default: `http://` + the `Host` header. */
  readonly origin?: string
  /** A principal the app authenticated itself (skips the core's authenticator). */
  readonly principal?: Principal
  /** A per-request logger (pino-http's `req.log`). */
  readonly logger?: HttpLogger
  /**
   * The response of this request (Express's `res`, Koa's `ctx.res`): when given, the request
   * carries a `signal` that fires if the response closes before it finished, which is the
   * client going away. The request's statements are then cancelled in PostgreSQL.
   */
  readonly response?: ServerResponse
}

/**
 * A signal that fires when `res` closes before it finished: the client disconnected (or
 * the socket died) while the answer was being computed. Its reason says so.
 */
function clientGoneSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  if (res.destroyed && !res.writableFinished) controller.abort(new Error('The client closed the connection before the response was sent.'))
  else {
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new Error('The client closed the connection before the response was sent.'))
    })
  }
  return controller.signal
}

/** The path and query of a request target: origin-form as is, absolute-form (`http://h/p?q`) cut to its path. */
function pathAndQuery(target: string): string {
  if (target.startsWith('/')) return target
  try {
    const url = new URL(target)
    return `${url.pathname}${url.search}`
  } catch {
    return `/${target}`
  }
}

/**
 * Builds the core's {@link HttpRequest} from a `node:http` request (what Express's `req`
 * and Koa's `ctx.req` are). The body stays a stream: nothing is read here. It never throws:
 * a `Host` that makes no URL (`a b`, `[`) leaves the URL on `http://localhost`, and the
 * handler answers 400 for the `Host` header itself. The path is appended to the origin as
 * text, so a target such as `//evil.example/x` stays a path on this origin.
 *
 * @example
 * ```ts
 * const response = await handle(fromNodeRequest(req, { originalUrl: req.originalUrl, origin: `${req.protocol}://${req.get('host')}` }))
 * // with `response`, a client that disconnects cancels the request's running statement
 * const cancellable = await handle(fromNodeRequest(req, { originalUrl: req.originalUrl, response: res }))
 * ```
 */
export function fromNodeRequest(req: IncomingMessage, options: FromNodeRequestOptions = {}): HttpRequest {
  const origin = options.origin ?? `http://${req.headers.host ?? 'localhost'}`
  const target = pathAndQuery(options.originalUrl ?? req.url ?? '/')
  let url: URL
  try {
    url = new URL(`${origin}${target}`) // target starts with '/': it cannot change the authority
  } catch {
    url = new URL(`http://localhost${target}`)
  }
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: hasBody ? req : null,
    url: url.href,
    ...(options.principal ? { principal: options.principal } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.response ? { signal: clientGoneSignal(options.response) } : {}),
  }
}

/**
 * The body of a response as bytes or a stream: JSON values serialized (UTF-8), strings
 * encoded, streams passed through.
 *
 * @example
 * ```ts
 * const body = serializeBody(response) // Buffer | Readable | undefined
 * ```
 */
export function serializeBody(response: HttpResponse): Buffer | Readable | undefined {
  const body = bodyOf(response)
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body
}

/** The body as {@link serializeBody} makes it, text left as a string (written as UTF-8 without a copy into a Buffer first). */
function bodyOf(response: HttpResponse): string | Buffer | Readable | undefined {
  const { body } = response
  if (body === undefined) return undefined
  if (body instanceof Readable) return body
  if (body instanceof Uint8Array) return Buffer.from(body)
  const type = response.headers['content-type'] ?? ''
  if (typeof body === 'string' && !type.startsWith('application/json')) return body
  return JSON.stringify(body)
}

/**
 * Whether a response must close its connection: the request's body has not been read to
 * its end (an error answered before it, a 413 that stopped reading), so Node would
 * otherwise read and discard the rest, however large, to keep the connection alive.
 *
 * @example
 * ```ts
 * if (mustCloseConnection(ctx.req)) ctx.set('connection', 'close') // Koa
 * ```
 */
export function mustCloseConnection(req: IncomingMessage): boolean {
  return !req.complete && !req.readableEnded
}

/** How long a closing connection stays open, unread, after its answer: time for the client to read it. */
const LINGER_MS = 1000
const lingering = new WeakSet<Socket>()

/**
 * Closes the connection after this response: `Connection: close`, and once the answer is
 * sent, a half close (FIN) with reading stopped, the socket destroyed a second later. So
 * nothing more of an unwanted body is read, yet the client gets time to read the answer
 * before the reset that unread data causes (an immediate close would often lose the 413 to
 * that reset). Call before the headers are sent.
 *
 * @example
 * ```ts
 * if (mustCloseConnection(ctx.req)) closeConnection(ctx.res) // Koa
 * ```
 */
export function closeConnection(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close')
  const socket = res.socket
  if (!socket || lingering.has(socket)) return
  lingering.add(socket)
  // node:http calls destroySoon() once a `Connection: close` response has finished
  socket.destroySoon = function lingerThenDestroy(this: Socket) {
    this.pause()
    this.end()
    setTimeout(() => this.destroy(), LINGER_MS).unref()
  }
}

/**
 * Writes an {@link HttpResponse} to a `node:http` response (Express's `res`, Koa's `ctx.res`
 * with `ctx.respond = false`): status, headers, `Content-Length` for bytes, and the body
 * (none for HEAD); a stream at the client's pace, destroyed (and so stopped) when the client
 * disconnects, which resolves quietly. A request whose body was not read to its end, or a response that says
 * `Connection: close` (a 413), closes its connection without reading further (see
 * {@link mustCloseConnection} and {@link closeConnection}).
 *
 * @example
 * ```ts
 * createServer(async (req, res) => writeNodeResponse(res, await handle(fromNodeRequest(req))))
 * ```
 */
export async function writeNodeResponse(res: ServerResponse, response: HttpResponse): Promise<void> {
  if (res.destroyed) {
    // the client is gone (a cancelled request's 499): nobody reads an answer
    if (response.body instanceof Readable) response.body.destroy()
    return
  }
  const body = bodyOf(response)
  const headers: Record<string, string> = { ...response.headers }
  if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body, 'utf8'))
  else if (Buffer.isBuffer(body)) headers['content-length'] = String(body.length)
  if (headers.connection === 'close' || (res.req && mustCloseConnection(res.req))) {
    delete headers.connection
    closeConnection(res)
  }
  res.writeHead(response.status, headers)
  if (res.req?.method === 'HEAD' || body === undefined) {
    if (body instanceof Readable) body.destroy()
    res.end()
    return
  }
  if (typeof body === 'string') {
    res.end(body, 'utf8')
    return
  }
  if (Buffer.isBuffer(body)) {
    res.end(body)
    return
  }
  try {
    // a stream (an export) at the client's pace: pipeline waits for 'drain'
    await pipeline(body, res)
  } catch (error) {
    // the client went away: the body is destroyed (an export stops before its next batch); nothing to answer
    if ((error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') return
    throw error
  }
}
