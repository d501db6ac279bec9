import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ABANDONED_UPLOAD_MESSAGE, failAbandonedUploads, claimsTenant, type ClaimsTenantScope } from '../support/upstream.js'
import { createHttpFixture, type FixtureTenant } from '../http/http-fixture.js'
import { startExampleProcess } from '../support/example-process.js'
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/test-database.js'

// A process dies (SIGKILL) in the middle of loading an upload: the upload must not stay
// `processing` for good. The library's sweep fails it (with a reason), and only it: an upload
// whose load is still running is never touched, however old.

const LOADER = fileURLToPath(new URL('./support/load-forever.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

let upstream: TestDatabase
let a: FixtureTenant
let tenant: ClaimsTenantScope
let admin: pg.Client

beforeAll(async () => {
  upstream = await createTestDatabase()
  ;({ a } = await createHttpFixture(upstream, 'abandoned'))
  tenant = claimsTenant(upstream, a.customerId)
  admin = new pg.Client({ connectionString: testDatabaseUrl() })
  await admin.connect()
})
afterAll(async () => {
  await admin?.end()
  await upstream?.destroy()
})

const uploadNamed = (filename: string) => tenant.read(({ db }) => db.selectFrom('uploads').selectAll().where('filename', '=', filename).executeTakeFirst())

/** Starts a loader process and resolves once its load transaction holds the upload's row. */
async function startLoader(filename: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', LOADER, testDatabaseUrl(), upstream.schema, String(a.customerId), filename], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  for (let i = 0; i < 600; i++) {
    const upload = await uploadNamed(filename)
    if (upload?.status === 'processing') {
      // locked by the loader's transaction? NOWAIT answers at once either way
      const locked = await admin
        .query(`select id from ${upstream.schema}.uploads where id = $1 for no key update nowait`, [upload.id])
        .then(() => false, (e: { code?: string }) => e.code === '55P03')
      if (locked) return { child, upload, exited }
    }
    if (child.exitCode !== null) throw new Error(`the loader exited: ${stderr}`)
    await sleep(50)
  }
  child.kill('SIGKILL')
  throw new Error(`the loader never held its upload: ${stderr}`)
}

describe('an upload whose loading process died', () => {
  it('is failed by the sweep, with a reason, while a live load is left alone', async () => {
    const { child, upload, exited } = await startLoader('killed-mid-load.csv')
    try {
      // alive: the sweep (even with no age limit) leaves it, its row lock says it is in progress
      expect(await failAbandonedUploads(upstream, { olderThanMs: 0 })).toEqual([])
      expect((await uploadNamed('killed-mid-load.csv'))?.status).toBe('processing')
    } finally {
      child.kill('SIGKILL')
      await exited
    }
    // dead: PostgreSQL ends its session, the lock goes with it; still too young for a 1 h limit
    for (let i = 0; i < 20; i++) expect(await failAbandonedUploads(upstream, { olderThanMs: 60 * 60_000 })).toEqual([])
    let swept: Awaited<ReturnType<typeof failAbandonedUploads>> = []
    for (let i = 0; i < 100 && swept.length === 0; i++) {
      swept = await failAbandonedUploads(upstream, { olderThanMs: 0 })
      if (swept.length === 0) await sleep(50)
    }
    expect(swept).toEqual([{ customerId: a.customerId, uploadId: upload.id }])
    const failed = await uploadNamed('killed-mid-load.csv')
    expect(failed).toMatchObject({ status: 'failed', row_count: null, error_message: ABANDONED_UPLOAD_MESSAGE })
    expect(failed!.processing_completed_at).toBeInstanceOf(Date)
    expect(await tenant.read(({ db }) => db.selectFrom('claim_records').select('id').where('upload_id', '=', upload.id).execute())).toEqual([])
    // nothing left to sweep; the age limit is honoured
    expect(await failAbandonedUploads(upstream, { olderThanMs: 0 })).toEqual([])
  })

  it('the runtime role cannot call the sweep (it would cross tenants)', async () => {
    const error = await tenant.transaction(({ db }) => db.selectNoFrom((eb) => eb.fn(`${upstream.schema}.fail_abandoned_uploads`, [eb.val('0 seconds'), eb.val('x')]).as('x')).execute()).catch((e: unknown) => e)
    expect(String((error as Error).message)).toMatch(/permission denied for function fail_abandoned_uploads/)
  })

  it('the example server runs the sweep (startUploadSweeper)', async () => {
    const { child, upload, exited } = await startLoader('example-swept.csv')
    child.kill('SIGKILL')
    await exited
    const server = await startExampleProcess('koa', {
      DATABASE_URL: testDatabaseUrl(),
      UPSTREAM_SCHEMA: upstream.schema,
      UPLOAD_SWEEP_AFTER_MS: '0',
      UPLOAD_SWEEP_INTERVAL_MS: '200',
    })
    try {
      for (let i = 0; i < 100 && (await uploadNamed('example-swept.csv'))?.status === 'processing'; i++) await sleep(100)
    } finally {
      await server.stop()
    }
    expect(await uploadNamed('example-swept.csv')).toMatchObject({ id: upload.id, status: 'failed', error_message: ABANDONED_UPLOAD_MESSAGE })
  })
})
