import type { Kysely } from 'kysely'
import { defineListSpec, filter } from '@upstreamjs/upstream/list-query'
import { TASK_STATUSES, type ProjectsDatabase } from './database.js'

/** `GET /projects/`: filter by name and creation time, search names, order by name or age, cursor or page-number pages. */
export const projectsListSpec = defineListSpec({
  name: 'projects',
  query: (db: Kysely<ProjectsDatabase>) => db.selectFrom('projects').select(['id', 'name', 'task_seq', 'created_at']),
  filters: {
    name: filter.text('name', { lookups: ['exact', 'icontains', 'istartswith'] }),
    created_at: filter.timestamp('created_at', { lookups: ['gte', 'lt'] }),
  },
  search: ['name'],
  ordering: { fields: { name: 'name', created_at: 'created_at' }, default: ['-created_at'] },
  pagination: { styles: ['cursor', 'page-number'], default: 'cursor' },
})

/**
 * `GET /tasks/` and `GET /projects/{id}/tasks/`: filter by status, priority, due date and
 * project; search titles; order by priority, due date (nulls last) or age.
 */
export const tasksListSpec = defineListSpec({
  name: 'tasks',
  query: (db: Kysely<ProjectsDatabase>) => db.selectFrom('tasks').select(['id', 'project_id', 'number', 'title', 'status', 'priority', 'due_date', 'created_at']),
  filters: {
    status: filter.enum('status', TASK_STATUSES),
    priority: filter.integer('priority'),
    due_date: filter.date('due_date', { lookups: ['gte', 'lte', 'range', 'isnull'] }),
    project: filter.integer('project_id', { lookups: ['in'] }),
  },
  search: ['title'],
  ordering: {
    fields: { priority: 'priority', due_date: { column: 'due_date', nullable: true }, created_at: 'created_at', number: 'number' },
    default: ['-created_at'],
  },
  pagination: { styles: ['cursor', 'page-number'], default: 'cursor' },
})
