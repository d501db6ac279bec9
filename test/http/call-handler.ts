import { Readable } from 'node:stream'
import type { HttpHandler } from '../support/upstream.js'
import type { HttpResponse } from '../../src/http/http-response.js'

/** A request to the core, the way a test writes it. */
export interface TestCall {
  method?: string
  path: string
  token?: string
  authorization?: string | string[]
  headers?: Record<string, string>
  body?: string | Buffer
}

/** Calls the core with a plain request built from `call`; the JSON body is returned parsed. */
export async function callHandler(handle: HttpHandler, call: TestCall): Promise<HttpResponse & { json: unknown }> {
  const url = new URL(call.path, 'http://api.test')
  const headers: Record<string, string | string[]> = { host: 'api.test', ...call.headers }
  if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`
  if (call.authorization !== undefined) headers.authorization = call.authorization
  const body = call.body === undefined ? null : Readable.from([Buffer.from(call.body)])
  if (call.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(call.body))
  const response = await handle({ method: call.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body, url: url.href })
  const isJson = (response.headers['content-type'] ?? '').startsWith('application/json')
  return { ...response, json: isJson ? JSON.parse(JSON.stringify(response.body)) : undefined }
}
