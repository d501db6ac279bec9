import { NotFoundError } from '@upstreamjs/upstream'
import { jsonResponse, presentBatches, presentListEnvelope, readJsonBody, tenantOperation, type TenantOperation } from '@upstreamjs/upstream/http'
import { exportTenantList, runTenantList } from '@upstreamjs/upstream/list-query'
import type { TenantScope } from '@upstreamjs/upstream/tenancy'
import { createTask } from './create-task.js'
import type { ProjectsDatabase } from './database.js'
import { projectsListSpec, tasksListSpec } from './lists.js'
import { parseBody } from './parse-body.js'
import { presentProject, presentTask } from './presenters.js'
import { CreateProjectBody, CreateTaskBody, ProjectSchema, TaskSchema } from './schemas.js'

type Scope = TenantScope<ProjectsDatabase>
const op = tenantOperation<Scope>
const json = <S>(schema: S) => ({ 'application/json': { schema } })

/**
 * The app's operations table: each entry routes, authenticates, checks the key's scope and
 * documents itself in the OpenAPI document from this one declaration.
 */
export const projectsOperations: readonly TenantOperation<Scope>[] = [
  op({
    method: 'GET',
    path: '/projects/',
    operationId: 'projects_list',
    tags: ['projects'],
    summary: 'List projects',
    list: {
      spec: projectsListSpec.description,
      resultName: 'Project',
      result: ProjectSchema,
      // format=csv / Accept: text/csv (and NDJSON): every row, streamed in keyset batches
      export: ({ tenant, request }) => presentBatches(exportTenantList(tenant, projectsListSpec, request.query), presentProject),
    },
    handle: async ({ tenant, request }) => {
      // one read-only transaction; cursors bound to the tenant; counts cached until the tenant's data changes
      const page = await runTenantList(tenant, projectsListSpec, request.query, { url: request.url })
      return jsonResponse(200, presentListEnvelope(page, presentProject))
    },
  }),
  op({
    method: 'POST',
    path: '/projects/',
    operationId: 'projects_create',
    tags: ['projects'],
    summary: 'Create a project',
    body: { required: true, content: json(CreateProjectBody) },
    responses: { 201: { description: 'The new project.', schema: ProjectSchema } },
    errors: [400, 409, 415],
    handle: async ({ tenant, request, settings }) => {
      const body = parseBody(CreateProjectBody, await readJsonBody(request, settings.maxJsonBodyBytes))
      const project = await tenant.transaction(({ db, customerId }) =>
        db.insertInto('projects').values({ customer_id: customerId, name: body.name }).returning(['id', 'name', 'task_seq', 'created_at']).executeTakeFirstOrThrow(),
      )
      return jsonResponse(201, presentProject(project))
    },
  }),
  op({
    method: 'GET',
    path: '/projects/{id}/',
    operationId: 'projects_retrieve',
    tags: ['projects'],
    summary: 'One project',
    responses: { 200: { description: 'The project.', schema: ProjectSchema } },
    errors: [404],
    handle: async ({ tenant, params }) => {
      const project = await tenant.read(({ db }) => db.selectFrom('projects').select(['id', 'name', 'task_seq', 'created_at']).where('id', '=', params.id).executeTakeFirst())
      if (!project) throw new NotFoundError('project', params.id)
      return jsonResponse(200, presentProject(project))
    },
  }),
  op({
    method: 'GET',
    path: '/projects/{id}/tasks/',
    operationId: 'projects_tasks_list',
    tags: ['tasks'],
    summary: 'List the tasks of a project',
    list: {
      spec: tasksListSpec.description,
      resultName: 'Task',
      result: TaskSchema,
      export: ({ tenant, request, params }) =>
        presentBatches(exportTenantList(tenant, tasksListSpec, request.query, {}, { key: `project:${params.id}`, apply: (qb) => qb.where('project_id', '=', params.id) }), presentTask),
    },
    errors: [404],
    handle: async ({ tenant, request, params }) => {
      const page = await runTenantList(
        tenant,
        tasksListSpec,
        request.query,
        { url: request.url },
        // typed column reference; the key names every value apply puts in the SQL
        { key: `project:${params.id}`, apply: (qb) => qb.where('project_id', '=', params.id) },
        // an empty page of a project that does not exist (or is another tenant's) is a 404, checked in the same transaction
        async (db, found) => {
          if (found.results.length > 0) return
          const project = await db.selectFrom('projects').select('id').where('id', '=', params.id).executeTakeFirst()
          if (!project) throw new NotFoundError('project', params.id)
        },
      )
      return jsonResponse(200, presentListEnvelope(page, presentTask))
    },
  }),
  op({
    method: 'POST',
    path: '/projects/{id}/tasks/',
    operationId: 'projects_tasks_create',
    tags: ['tasks'],
    summary: 'Add a task to a project',
    description: 'Numbers the task after the project\'s last one, under a lock of the project\'s row: concurrent adds get consecutive numbers.',
    body: { required: true, content: json(CreateTaskBody) },
    responses: { 201: { description: 'The new task.', schema: TaskSchema } },
    errors: [400, 404, 415],
    handle: async ({ tenant, request, settings, params }) => {
      const body = parseBody(CreateTaskBody, await readJsonBody(request, settings.maxJsonBodyBytes))
      return jsonResponse(201, presentTask(await createTask(tenant, params.id, body)))
    },
  }),
  op({
    method: 'GET',
    path: '/tasks/',
    operationId: 'tasks_list',
    tags: ['tasks'],
    summary: 'List tasks across projects',
    list: {
      spec: tasksListSpec.description,
      resultName: 'Task',
      result: TaskSchema,
      export: ({ tenant, request }) => presentBatches(exportTenantList(tenant, tasksListSpec, request.query), presentTask),
    },
    handle: async ({ tenant, request }) => {
      const page = await runTenantList(tenant, tasksListSpec, request.query, { url: request.url })
      return jsonResponse(200, presentListEnvelope(page, presentTask))
    },
  }),
]

