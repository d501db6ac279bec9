import { z } from 'zod'
import { TASK_STATUSES } from './database.js'

/** A project, as the API writes it. */
export const ProjectSchema = z.object({
  id: z.number().int().min(1),
  name: z.string(),
  task_count: z.number().int().min(0).meta({ description: 'Tasks created in the project so far.' }),
  created_at: z.iso.datetime({ offset: true }),
}).meta({ id: 'Project', description: 'One project of the tenant.' })

/** A task, as the API writes it. */
export const TaskSchema = z.object({
  id: z.number().int().min(1),
  project_id: z.number().int().min(1),
  number: z.number().int().min(1).meta({ description: 'The task number within its project: 1, 2, 3, ... without gaps.' }),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.number().int().min(1).max(5),
  due_date: z.iso.date().nullable(),
  created_at: z.iso.datetime({ offset: true }),
}).meta({ id: 'Task', description: 'One task of a project.' })

/** `POST /projects/`. */
export const CreateProjectBody = z.strictObject({ name: z.string().trim().min(1).max(200) }).meta({ id: 'CreateProject' })

/** `POST /projects/{id}/tasks/`. */
export const CreateTaskBody = z.strictObject({
  title: z.string().trim().min(1).max(500),
  priority: z.number().int().min(1).max(5).optional(),
  due_date: z.iso.date().nullable().optional(),
}).meta({ id: 'CreateTask' })
