import { once } from 'node:events'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonResponse, serializeBody, writeNodeResponse, type HttpResponse } from '../support/upstream.js'

const BODY = { name: 'Zoë — ✓ 💡', amounts: ['1234.50'] }
const RESPONSES: Record<string, HttpResponse> = {
  '/json': jsonResponse(200, BODY),
  '/text': { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'naïve text ✓' },
}

let server: Server
let base: string
beforeAll(async () => {
  server = createServer((req, res) => void writeNodeResponse(res, RESPONSES[req.url ?? ''] ?? jsonResponse(404, { detail: 'Not found.' })))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** Status, headers and the raw bytes of an answer. */
function fetchRaw(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

// writeNodeResponse writes JSON and text as strings (issue 12): Content-Length must still count UTF-8 bytes.
describe('writeNodeResponse', () => {
  it.each(['/json', '/text'])('%s: the bytes serializeBody makes, Content-Length in UTF-8 bytes', async (path) => {
    const r = await fetchRaw(path)
    const want = serializeBody(RESPONSES[path]!) as Buffer
    expect(r.status).toBe(200)
    expect(r.bytes.equals(want)).toBe(true)
    expect(r.headers['content-length']).toBe(String(want.length))
    expect(want.length).toBeGreaterThan(want.toString('utf8').length) // multi-byte characters: bytes, not characters
  })

  it('HEAD: the same Content-Length, no body', async () => {
    const r = await fetchRaw('/json', 'HEAD')
    expect(r.headers['content-length']).toBe(String((serializeBody(RESPONSES['/json']!) as Buffer).length))
    expect(r.bytes.length).toBe(0)
  })
})
