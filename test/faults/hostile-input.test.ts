import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp as createExpressApp } from '../../examples/express/create-app.js'
import { createApp as createKoaApp } from '../../examples/koa/create-app.js'
import { Readable } from 'node:stream'
import { jsonResponse, publicOperation, readJsonBody, type ClaimsHttpHandlerOptions } from '../support/upstream.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

// Hostile input against both example servers: every answer a 4xx in the JSON shape (or the
// 200 it deserves), never a 500, a stack trace, a file path, an echoed Host in links, or a
// body read to its end after the server said 413.

type Http = Omit<ClaimsHttpHandlerOptions, 'upstream' | 'logger'>
const FACTORIES: [string, (upstream: TestDatabase, http: Http) => RequestListener][] = [
  ['express', (upstream, http) => createExpressApp({ upstream, http })],
  ['koa', (upstream, http) => createKoaApp({ upstream, http }).callback()],
]

// a route whose response Node refuses to write (a newline in a header value): the framework's own error path
const broken = publicOperation({
  method: 'GET',
  path: '/broken/',
  operationId: 'broken_retrieve',
  responses: { 200: { description: 'Never: Node refuses the header.' } },
  handle: async () => ({ ...jsonResponse(200, { ok: true }), headers: { 'content-type': 'application/json', 'x-broken': 'a\nb' } }),
})

let upstream: TestDatabase
let a: FixtureTenant

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream, 'hostile'))
})
afterAll(async () => upstream?.destroy())

interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: unknown
}

async function listen(listener: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

/** A request with any Host header (fetch would refuse to send these). */
function raw(port: number, options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { port, host: '127.0.0.1', method: options.method ?? 'GET', path: options.path, setHost: false, headers: { host: options.host ?? 'api.test', ...options.headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = JSON.parse(text)
          } catch {
            json = undefined
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
        })
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/**
 * Sends a body of `megabytes` (declared with Content-Length, or chunked) and reports what the
 * server answered and how much it took before it closed the connection.
 */
function flood(port: number, path: string, contentType: string, mode: 'declared' | 'chunked', megabytes: number) {
  return new Promise<{ status: string; connection: string | undefined; sentMiB: number; serverClosed: boolean }>((resolve) => {
    const total = megabytes * 1024 * 1024
    const socket = connect(port, '127.0.0.1')
    let head = `POST ${path} HTTP/1.1\r\nHost: api.test\r\nAuthorization: Bearer ${a.token}\r\nContent-Type: ${contentType}\r\nConnection: keep-alive\r\n`
    head += mode === 'declared' ? `Content-Length: ${total}\r\n\r\n` : 'Transfer-Encoding: chunked\r\n\r\n'
    const piece = Buffer.alloc(64 * 1024, contentType.includes('json') ? 0x20 : 0x61)
    const framed = mode === 'declared' ? piece : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])
    let sent = 0
    let response = ''
    let finished = false
    const finish = (serverClosed: boolean) => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ status: response.split('\r\n')[0] ?? '', connection: /\r\nconnection: ([^\r]*)/i.exec(response)?.[1], sentMiB: sent / 1024 / 1024, serverClosed })
    }
    const timer = setTimeout(() => finish(false), 20_000)
    socket.on('data', (d: Buffer) => (response += d.toString('latin1')))
    socket.on('close', () => finish(true))
    socket.on('error', () => undefined) // EPIPE/ECONNRESET once the server closed: expected
    socket.write(head)
    const pump = () => {
      while (sent < total && !socket.destroyed && !socket.writableEnded) {
        sent += piece.length
        if (!socket.write(framed)) return void socket.once('drain', pump)
      }
    }
    pump()
  })
}

describe.each(FACTORIES)('the %s example', (name, factory) => {
  let port: number
  let server: Server
  beforeAll(async () => ({ server, port } = await listen(factory(upstream, { maxJsonBodyBytes: 64 * 1024, maxUploadBytes: 1024 * 1024, operations: [broken] }))))
  afterAll(async () => new Promise((resolve) => server?.close(resolve)))

  it.each(['a b', '[', '%zz', 'x:99999', 'x:0', 'exa mple.com:80'])('Host: %s -> 400 in the JSON shape', async (host) => {
    const r = await raw(port, { path: '/api/v1/claims/', host, headers: { authorization: `Bearer ${a.token}` } })
    expect(r.status).toBe(400)
    expect(r.json).toEqual({ detail: 'Invalid Host header.' })
    expect(r.headers['x-content-type-options']).toBe('nosniff')
  })

  it('a well-formed Host is served (IPv4, IPv6, port, trailing dot)', async () => {
    for (const host of ['127.0.0.1:8080', '[::1]:3000', 'api.test.', 'API.TEST']) {
      expect((await raw(port, { path: '/api/v1/schema/', host })).status).toBe(200)
    }
  })

  it.each([
    ['{"constructor": 1}', 'constructor'],
    ['{"toString": 1}', 'toString'],
    ['{"__proto__": {}}', '__proto__'],
    ['{"hasOwnProperty": "x", "as_of": "2026-01-01"}', 'hasOwnProperty'],
  ])('drift body %s -> 400 naming the field', async (body, field) => {
    const r = await raw(port, { method: 'POST', path: '/api/v1/drift/reports/', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' }, body })
    expect(r.status).toBe(400)
    expect(r.json).toEqual({ [field]: ['Unknown field.'] })
  })

  it('prototype-named query parameters are ignored as unknown, or refused as values', async () => {
    const ok = await raw(port, { path: '/api/v1/claims/?constructor=1&__proto__=x&toString=1&hasOwnProperty=1', headers: { authorization: `Bearer ${a.token}` } })
    expect(ok.status).toBe(200)
    const ordering = await raw(port, { path: '/api/v1/claims/?ordering=constructor', headers: { authorization: `Bearer ${a.token}` } })
    expect(ordering.status).toBe(400)
    const status = await raw(port, { path: '/api/v1/claims/?status=__proto__', headers: { authorization: `Bearer ${a.token}` } })
    expect(status.status).toBe(400)
  })

  it.each([
    ['declared', 'JSON', '/api/v1/drift/reports/', 'application/json', 500],
    ['chunked', 'JSON', '/api/v1/drift/reports/', 'application/json', 200],
    ['declared', 'CSV', '/api/v1/uploads/?filename=big.csv', 'text/csv', 500],
    ['chunked', 'CSV', '/api/v1/uploads/?filename=big.csv', 'text/csv', 200],
  ] as const)('a %s %s body far over the limit: 413 with Connection: close, and the server stops reading', async (mode, _kind, path, type, megabytes) => {
    const r = await flood(port, path, type, mode, megabytes)
    expect(r.status).toBe('HTTP/1.1 413 Payload Too Large')
    expect(r.connection).toBe('close')
    expect(r.serverClosed).toBe(true)
    expect(r.sentMiB).toBeLessThan(32) // of 200-500 MiB offered (socket buffers hold a few MiB)
  })

  it('/metrics is not served on the API port', async () => {
    const r = await raw(port, { path: '/metrics' })
    expect(r.status).toBe(404)
    expect(r.json).toEqual({ detail: 'Not found.' })
  })

  it('nosniff on every response; CSP and anti-framing on /docs/', async () => {
    for (const path of ['/api/v1/claims/', '/api/v1/schema/', '/api/v1/nothing/', '/nothing', `/api/v1/uploads/${a.upload.id}/`]) {
      const r = await raw(port, { path, headers: path === '/api/v1/claims/' ? {} : { authorization: `Bearer ${a.token}` } })
      expect(r.headers['x-content-type-options'], path).toBe('nosniff')
    }
    const docs = await raw(port, { path: '/api/v1/docs/' })
    expect(docs.status).toBe(200)
    expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
    expect(docs.headers['content-security-policy']).toMatch(/default-src 'none'/)
    expect(docs.headers['x-frame-options']).toBe('DENY')
  })

  it(`${name}'s own errors answer JSON: no stack, no path`, async () => {
    const r = await raw(port, { path: '/api/v1/broken/' })
    expect(r.status).toBe(500)
    expect(r.json).toEqual({ detail: 'A server error occurred.' })
    expect(r.text).not.toMatch(/\bat |\/work\/|node_modules|\.ts:/)
    expect(r.headers['x-content-type-options']).toBe('nosniff')
  })
})

describe('links never echo an untrusted Host', () => {
  const listClaims = (port: number, host: string) => raw(port, { path: '/api/v1/claims/?page_size=1', host, headers: { authorization: `Bearer ${a.token}` } })

  it('with publicBaseUrl, next/previous use it whatever the Host', async () => {
    const { server, port } = await listen(createExpressApp({ upstream, http: { publicBaseUrl: 'https://api.example.com' } }))
    try {
      const r = await listClaims(port, 'evil.example')
      expect(r.status).toBe(200)
      expect((r.json as { next: string }).next).toBe('https://api.example.com/api/v1/claims/?page_size=1&page=2')
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('with allowedHosts, another Host is refused and an allowed one is echoed', async () => {
    const { server, port } = await listen(createKoaApp({ upstream, http: { allowedHosts: ['.example.com'] } }).callback())
    try {
      const evil = await listClaims(port, 'evil.example')
      expect(evil.status).toBe(400)
      expect(evil.json).toEqual({ detail: 'Invalid Host header.' })
      const ok = await listClaims(port, 'eu.example.com:8443')
      expect((ok.json as { next: string }).next).toBe('http://eu.example.com:8443/api/v1/claims/?page_size=1&page=2')
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('readJsonBody', () => {
  it('parses objects without a prototype: client keys never meet inherited members', async () => {
    const text = '{"__proto__": {"polluted": true}, "constructor": 1, "nested": [{"toString": 2}], "plain": {}}'
    const body = (await readJsonBody(
      { method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: Readable.from([Buffer.from(text)]), url: 'http://api.test/' },
      1024,
    )) as Record<string, unknown>
    expect(Object.getPrototypeOf(body)).toBe(null)
    expect(Object.keys(body)).toEqual(['__proto__', 'constructor', 'nested', 'plain'])
    expect(Object.getPrototypeOf(body.plain)).toBe(null)
    expect((body.plain as Record<string, unknown>).constructor).toBeUndefined() // no inherited Object
    expect(Object.getPrototypeOf((body.nested as object[])[0])).toBe(null)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
