import type { ColumnType, Generated, Selectable } from 'kysely'
import type { CoreDatabase, DateString } from '@upstreamjs/upstream/db'

/** Task statuses, in workflow order. */
export const TASK_STATUSES = ['todo', 'doing', 'done'] as const
/** A task's status. */
export type TaskStatus = (typeof TASK_STATUSES)[number]

/** `projects`: one tenant's projects. Key `(customer_id, id)`; names unique per tenant. */
export interface ProjectsTable {
  customer_id: number
  id: Generated<number>
  name: string
  /** The last task number handed out in this project (bumped under the project's row lock). */
  task_seq: ColumnType<number, number | undefined, number>
  created_at: ColumnType<Date, Date | string | undefined, never>
}

/** `tasks`: a project's tasks. Key `(customer_id, id)`; `(customer_id, project_id)` references its project. */
export interface TasksTable {
  customer_id: number
  id: Generated<number>
  project_id: number
  /** 1, 2, 3, ... within the project, without gaps. */
  number: number
  title: string
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>
  priority: ColumnType<number, number | undefined, number>
  due_date: DateString | null
  created_at: ColumnType<Date, Date | string | undefined, never>
}

/** The app's schema: the tenancy core's tables and its own. */
export interface ProjectsDatabase extends CoreDatabase {
  projects: ProjectsTable
  tasks: TasksTable
}

/** A project row. */
export type Project = Selectable<ProjectsTable>
/** A task row. */
export type Task = Selectable<TasksTable>
