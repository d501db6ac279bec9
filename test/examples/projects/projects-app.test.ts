import SwaggerParser from '@apidevtools/swagger-parser'
import { sql } from 'kysely'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, migrateToLatest, type UpstreamDatabase } from '@upstreamjs/upstream/db'
import { createCustomer, forTenant } from '@upstreamjs/upstream/tenancy'
import { assertTenantIsolation } from '@upstreamjs/upstream/testing'
import { createApp } from '../../../examples/projects/create-app.js'
import type { ProjectsDatabase } from '../../../examples/projects/database.js'
import { projectsMigrations } from '../../../examples/projects/migrations.js'
import { OpenApiResponseValidator } from '../../openapi/openapi-schema-validator.js'
import type { OpenApiDocument } from '../../support/upstream.js'
import { testDatabaseUrl, uniqueSchemaName } from '../../support/test-database.js'

let upstream: UpstreamDatabase<ProjectsDatabase>
let app: ReturnType<typeof createApp>
let tokenA: string
let tokenB: string
let readOnlyA: string
let validator: OpenApiResponseValidator
let customerA: number

const api = (token: string) => ({
  get: (path: string) => request(app).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: unknown) => request(app).post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body as object),
})
/** Asserts the body matches the operation's documented schema. */
const documented = (method: string, path: string, res: request.Response) => expect(validator.errors(method, `/api/v1${path}`, res.status, res.body)).toEqual([])

beforeAll(async () => {
  upstream = await createDatabase<ProjectsDatabase>({ connectionString: testDatabaseUrl(), schema: uniqueSchemaName('projects') })
  await migrateToLatest(upstream, { sets: [projectsMigrations] })
  const a = await createCustomer(upstream, 'Acme')
  customerA = a.id
  const b = await createCustomer(upstream, 'Globex')
  tokenA = (await forTenant(upstream, a.id).transaction(({ apiKeys }) => apiKeys.create({ label: 'a' }))).token
  readOnlyA = (await forTenant(upstream, a.id).transaction(({ apiKeys }) => apiKeys.create({ label: 'a-read', scopes: ['read'] }))).token
  tokenB = (await forTenant(upstream, b.id).transaction(({ apiKeys }) => apiKeys.create({ label: 'b' }))).token
  app = createApp({ upstream })
  const schema = await request(app).get('/api/v1/schema/')
  validator = new OpenApiResponseValidator(schema.body as OpenApiDocument)
})
afterAll(async () => {
  if (!upstream) return
  await sql`drop schema if exists ${sql.id(upstream.schema)} cascade`.execute(upstream.db)
  await upstream.destroy()
})

describe('the projects example: an app of another domain on the public subpaths', () => {
  let project: number
  let created: { number: number; priority: number; title: string; due_date: string | null }[] = []

  it('creates projects; a duplicate name is a 409, a bad body a 400 naming the field, a read-only key a 403', async () => {
    const created = await api(tokenA).post('/projects/', { name: '  Website  ' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'Website', task_count: 0 })
    documented('POST', '/projects/', created)
    project = created.body.id
    expect((await api(tokenA).post('/projects/', { name: 'Website' })).status).toBe(409)
    const bad = await api(tokenA).post('/projects/', { name: '', colour: 'red' })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body).sort()).toEqual(['name', 'non_field_errors'].sort())
    expect((await api(readOnlyA).post('/projects/', { name: 'Nope' })).status).toBe(403)
    // the same name is free for another tenant: uniqueness is per tenant
    expect((await api(tokenB).post('/projects/', { name: 'Website' })).status).toBe(201)
  })

  it('numbers concurrent task creates 1..n under the project\'s row lock', async () => {
    const titles = Array.from({ length: 12 }, (_, i) => `Task ${i + 1}`)
    const results = await Promise.all(
      titles.map((title, i) => api(tokenA).post(`/projects/${project}/tasks/`, { title, priority: (i % 5) + 1, due_date: i % 3 === 0 ? null : `2026-07-${String(10 + i).padStart(2, '0')}` })),
    )
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(201)
    documented('POST', `/projects/${project}/tasks/`, results[0]!)
    expect(results.map((r) => r.body.number as number).sort((x, y) => x - y)).toEqual(titles.map((_, i) => i + 1))
    created = results.map((r) => r.body)
    const after = await api(tokenA).get(`/projects/${project}/`)
    expect(after.body.task_count).toBe(12)
  })

  it('lists with filters, search, ordering and cursor pages that walk every row once', async () => {
    const first = await api(tokenA).get(`/projects/${project}/tasks/?priority__gte=2&ordering=-priority,due_date&page_size=4`)
    expect(first.status).toBe(200)
    documented('GET', `/projects/${project}/tasks/`, first)
    const seen: { number: number; priority: number }[] = [...first.body.results]
    let next: string | null = first.body.next
    while (next) {
      const url = new URL(next)
      const page = await api(tokenA).get(url.pathname.replace('/api/v1', '') + url.search)
      expect(page.status).toBe(200)
      seen.push(...page.body.results)
      next = page.body.next
    }
    const expected = created.filter((t) => t.priority >= 2).map((t) => t.number).sort((x, y) => x - y)
    expect(seen.map((t) => t.number).sort((x, y) => x - y)).toEqual(expected)
    expect(new Set(seen.map((t) => t.number)).size).toBe(seen.length)
    expect(seen.map((t) => t.priority)).toEqual([...seen.map((t) => t.priority)].sort((x, y) => y - x))

    const searched = await api(tokenA).get('/tasks/?search=task 1&status=todo&pagination=page-number&page_size=50')
    expect(searched.status).toBe(200)
    documented('GET', '/tasks/', searched)
    // Task 1, Task 10, Task 11, Task 12
    expect(searched.body.count).toBe(4)
    expect(searched.body.results.map((t: { title: string }) => t.title).sort()).toEqual(['Task 1', 'Task 10', 'Task 11', 'Task 12'])

    const undated = await api(tokenA).get('/tasks/?due_date__isnull=true&ordering=number&pagination=page-number')
    expect(undated.body.results.map((t: { number: number }) => t.number)).toEqual(created.filter((t) => t.due_date === null).map((t) => t.number).sort((x, y) => x - y))
    expect(undated.body.results).toHaveLength(4)
    const badFilter = await api(tokenA).get('/tasks/?priority=high&status=someday')
    expect(badFilter.status).toBe(400)
    expect(Object.keys(badFilter.body).sort()).toEqual(['priority', 'status'])
  })

  it('answers a cached count until the tenant writes (the data-version triggers of tenantTable)', async () => {
    const count = async () => (await api(tokenA).get('/tasks/?pagination=page-number&status=done')).body.count as number
    await api(tokenA).post(`/projects/${project}/tasks/`, { title: 'Closed at once' })
    const before = await count()
    expect(await count()).toBe(before) // served from the count cache
    // a write to tasks alone: only its own trigger can tell the cache
    await forTenant(upstream, customerA).transaction(({ db }) =>
      db.updateTable('tasks').set({ status: 'done' }).where('title', '=', 'Closed at once').execute(),
    )
    expect(await count()).toBe(before + 1)
  })

  it('keeps tenants apart over HTTP: another tenant\'s project is a 404, its lists are empty', async () => {
    expect((await api(tokenB).get(`/projects/${project}/`)).status).toBe(404)
    expect((await api(tokenB).post(`/projects/${project}/tasks/`, { title: 'sneak' })).status).toBe(404)
    expect((await api(tokenB).get(`/projects/${project}/tasks/`)).status).toBe(404)
    const tasks = await api(tokenB).get('/tasks/')
    expect(tasks.status).toBe(200)
    expect(tasks.body.results).toEqual([])
    expect((await request(app).get('/api/v1/tasks/')).status).toBe(401)
  })

  it('documents its operations from the same table in a valid OpenAPI document', async () => {
    const res = await request(app).get('/api/v1/schema/')
    expect(res.status).toBe(200)
    const doc = res.body as { paths: Record<string, Record<string, { operationId: string }>>; components: { schemas: Record<string, unknown> } }
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId)).sort()
    expect(ids).toEqual(['projects_create', 'projects_list', 'projects_retrieve', 'projects_tasks_create', 'projects_tasks_list', 'tasks_list'])
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Project', 'Task', 'CursorPage_Task', 'PageNumberPage_Task', 'ErrorDetail', 'ValidationErrorBody']))
    await SwaggerParser.validate(structuredClone(res.body))
  })

  it('passes the tenant-isolation checker on both tables', async () => {
    const report = await assertTenantIsolation(upstream, [
      { table: 'projects', sample: (db, id) => db.insertInto('projects').values({ customer_id: id, name: 'probe' }).execute() },
      {
        table: 'tasks',
        sample: async (db, id) => {
          const p = await db.insertInto('projects').values({ customer_id: id, name: 'probe' }).returning('id').executeTakeFirstOrThrow()
          await db.insertInto('tasks').values({ customer_id: id, project_id: p.id, number: 1, title: 'probe' }).execute()
        },
      },
    ])
    expect(report.probed).toEqual(['projects', 'tasks'])
  })
})
