import createClient, { type Client, type ClientPathsWithMethod, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch'
import type { components, paths } from './api-types.js'

type Method = 'get' | 'post'
type PathOf<M extends Method> = ClientPathsWithMethod<Client<paths>, M>
/** The init (params, body, options) of one operation: a concrete type, so object literals get excess-property checks. */
type InitOf<P extends keyof paths, M extends Method> = MaybeOptionalInit<paths[P], M>
type InitArgs<Init> = undefined extends Init ? [init?: Init] : [init: Init]
/** Responses are read as JSON (lists also answer text/csv and application/x-ndjson: fetch those with `raw` and `parseAs: 'stream'`). */
type Media = 'application/json'

/**
 * A typed client of the upstream HTTP API: openapi-fetch over the generated `paths`, so every
 * path, parameter, body and response is checked by the compiler. `GET` and `POST` are
 * openapi-fetch's, with each operation's own init type as their parameter: openapi-fetch's
 * signature infers the init and so accepts any extra key (a misspelled filter, a misspelled
 * body field; openapi-ts/openapi-typescript#1769), this one does not. `raw` is the
 * openapi-fetch client itself (middleware, other methods).
 *
 * @example
 * ```ts
 * const { data, error } = await client.GET('/api/v1/claims/', { params: { query: { status: ['denied'] } } })
 * client.GET('/api/v1/claims/', { params: { query: { statuss: ['denied'] } } }) // compile error: did you mean 'status'?
 * ```
 */
export interface UpstreamClient {
  GET<P extends PathOf<'get'>>(path: P, ...init: InitArgs<InitOf<P, 'get'>>): Promise<FetchResponse<paths[P]['get'], InitOf<P, 'get'>, Media>>
  POST<P extends PathOf<'post'>>(path: P, ...init: InitArgs<InitOf<P, 'post'>>): Promise<FetchResponse<paths[P]['post'], InitOf<P, 'post'>, Media>>
  readonly raw: Client<paths>
}

/**
 * A claim as the API answers it (from the generated `components`).
 *
 * @example
 * ```ts
 * const amount: Claim['billed_amount'] = '1234.50'
 * ```
 */
export type Claim = components['schemas']['Claim']

/**
 * An upload as the API answers it.
 *
 * @example
 * ```ts
 * const done = (upload: Upload) => upload.status === 'success' || upload.status === 'failed'
 * ```
 */
export type Upload = components['schemas']['Upload']

/**
 * A drift report with its events, as `POST /api/v1/drift/reports/` answers it.
 *
 * @example
 * ```ts
 * const worst = (report: DriftReportDetail) => report.events.filter((e) => e.severity === 'high')
 * ```
 */
export type DriftReportDetail = components['schemas']['DriftReportDetail']

/**
 * The 422 body of a rejected upload (no row landed), with its row errors.
 *
 * @example
 * ```ts
 * const lines = (failure: IngestionFailed) => failure.errors.map((e) => e.line)
 * ```
 */
export type IngestionFailed = components['schemas']['IngestionFailed']

/**
 * Whether an error body is a rejected upload's ({@link IngestionFailed}). openapi-fetch types
 * `error` as the union of every error status's body, and `ValidationErrorBody` (any key, a
 * list of messages) overlaps every other shape, so narrow by content.
 *
 * @example
 * ```ts
 * const { error } = await uploadCsv(client, 'claims.csv', csv)
 * if (isIngestionFailed(error)) for (const e of error.errors) console.log(e.line, e.column, e.message)
 * ```
 */
export function isIngestionFailed(error: unknown): error is IngestionFailed {
  const body = error as Partial<Record<keyof IngestionFailed, unknown>> | null | undefined
  return typeof body?.detail === 'string' && typeof body.upload === 'object' && body.upload !== null && Array.isArray(body.errors)
}

// Parameters the document declares `style: form, explode: false` (one comma-separated value);
// every other array is repeated (`status=paid&status=denied`), openapi-fetch's default.
const COMMA_SEPARATED = new Set(['ordering'])

/**
 * Writes query parameters as the API reads them: `ordering` as one comma-separated value
 * (`ordering=-billed_amount,claim_number`), other arrays as repeated parameters, `undefined`
 * left out. openapi-fetch does not read `explode` from the document, hence this one function.
 *
 * @example
 * ```ts
 * upstreamQuerySerializer({ status: ['paid', 'denied'], ordering: ['-billed_amount', 'claim_number'], page: 2 })
 * // 'status=paid&status=denied&ordering=-billed_amount%2Cclaim_number&page=2'
 * ```
 */
export function upstreamQuerySerializer(query: Readonly<Record<string, unknown>>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      if (COMMA_SEPARATED.has(name)) params.append(name, value.join(','))
      else for (const item of value) params.append(name, String(item))
    } else {
      params.append(name, String(value))
    }
  }
  return params.toString()
}

/**
 * Options of {@link createUpstreamClient}.
 *
 * @example
 * ```ts
 * const options: UpstreamClientOptions = { baseUrl: 'https://api.example.com', token: process.env.UPSTREAM_TOKEN! }
 * ```
 */
export interface UpstreamClientOptions {
  /** The server's origin (the document's paths carry `/api/v1`). */
  readonly baseUrl: string
  /** An API key of the customer (`Authorization: Bearer <token>`). */
  readonly token: string
  /** A `fetch` of your own (tests, retries, proxies). Default: the global one. */
  readonly fetch?: typeof globalThis.fetch
}

/**
 * A typed client of an upstream server, authenticated with an API key.
 *
 * @example
 * ```ts
 * const client = createUpstreamClient({ baseUrl: 'http://localhost:3000', token })
 * const { data, error, response } = await client.GET('/api/v1/claims/{id}/', { params: { path: { id: 12 } } })
 * if (error) console.error(response.status, error.detail)
 * else console.log(data.billed_amount) // a string such as "1234.50"
 * ```
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const raw = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.token}` },
    querySerializer: upstreamQuerySerializer,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  // the same functions; only their parameter types are stricter (see UpstreamClient)
  return Object.freeze({ GET: raw.GET, POST: raw.POST, raw }) as unknown as UpstreamClient
}

/**
 * Uploads a CSV of claims (`POST /api/v1/uploads/?filename=...`, `text/csv`): the one
 * operation whose body is not JSON, so openapi-fetch is told to send the text as it is.
 *
 * @example
 * ```ts
 * const { data, error, response } = await uploadCsv(client, 'claims.csv', await readFile('claims.csv', 'utf8'))
 * if (response.status === 422 && error && 'errors' in error) console.table(error.errors)
 * ```
 */
export function uploadCsv(client: UpstreamClient, filename: string, csv: string) {
  return client.POST('/api/v1/uploads/', {
    params: { query: { filename } },
    body: csv,
    bodySerializer: (body) => body,
    headers: { 'content-type': 'text/csv' },
  })
}
