import type { z } from 'zod'
import { presentTimestamp } from '@upstreamjs/upstream/http'
import type { Project, Task } from './database.js'
import type { ProjectSchema, TaskSchema } from './schemas.js'

/** A project row (or a list row) as the API writes it: the output type of {@link ProjectSchema}. */
export function presentProject(row: Pick<Project, 'id' | 'name' | 'task_seq' | 'created_at'>): z.output<typeof ProjectSchema> {
  return { id: row.id, name: row.name, task_count: row.task_seq, created_at: presentTimestamp(row.created_at) ?? '' }
}

/** A task row as the API writes it: the output type of {@link TaskSchema}. */
export function presentTask(row: Omit<Task, 'customer_id'>): z.output<typeof TaskSchema> {
  return {
    id: row.id,
    project_id: row.project_id,
    number: row.number,
    title: row.title,
    status: row.status,
    priority: row.priority,
    due_date: row.due_date,
    created_at: presentTimestamp(row.created_at) ?? '',
  }
}
