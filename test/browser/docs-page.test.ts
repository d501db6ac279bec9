import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../examples/express/create-app.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'

const executablePath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
const hasBrowser = executablePath !== undefined && existsSync(executablePath)
if (!hasBrowser) {
  console.warn('[docs-page.test] SKIPPED: no Chromium found (set CHROMIUM_PATH or `apt-get install -y chromium`).')
}

describe('the /docs/ reference page of the Express example in headless Chromium', () => {
  let server: Server
  let upstream: TestDatabase
  let browser: Browser | undefined
  let origin: string
  const external: string[] = []

  beforeAll(async () => {
    upstream = await createTestDatabase()
    server = createServer(createApp({ upstream })) // the Express example: /api/v1/docs/, its assets and /api/v1/schema/
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    if (hasBrowser) {
      browser = await chromium.launch({
        executablePath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      })
    }
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
    await upstream?.destroy()
  })

  it.skipIf(!hasBrowser)('renders every operation from the served document, with nothing from the internet', async () => {
    const page = await browser!.newPage()
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) external.push(request.url())
    })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    const refusals: string[] = [] // what the Content-Security-Policy blocked (Chromium reports each on the console)
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusals.push(message.text())
    })
    const response = await page.goto(`${origin}/api/v1/docs/`)
    expect(response?.status()).toBe(200)
    const headers = response!.headers()
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/)
    expect(headers['x-frame-options']).toBe('DENY')
    expect(headers['x-content-type-options']).toBe('nosniff')
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 })
    const paths = await page.locator('.opblock-summary-path').allInnerTexts()
    const normalized = paths.map((p) => p.replace(/\u200b/g, '').trim())
    expect(normalized).toEqual(
      expect.arrayContaining(['/api/v1/claims/', '/api/v1/claims/{id}/', '/api/v1/uploads/', '/api/v1/uploads/statistics/', '/api/v1/drift/reports/', '/api/v1/drift/events/']),
    )
    expect(await page.locator('.opblock').count()).toBe(13) // the 12 of the API and GET /uploads/{id}/errors/
    await expect(page.locator('body').innerText()).resolves.toContain('upstream API')
    expect(errors).toEqual([])
    expect(refusals).toEqual([]) // the policy lets the page work: nothing it needs was blocked
    expect(external).toEqual([])
    await page.close()
  })
})
