import { NotFoundError } from '@upstreamjs/upstream'
import type { TenantScope } from '@upstreamjs/upstream/tenancy'
import type { ProjectsDatabase, Task } from './database.js'

/** What {@link createTask} takes. */
export interface NewTask {
  readonly title: string
  readonly priority?: number | undefined
  readonly due_date?: string | null | undefined
}

/**
 * Adds a task to a project, numbered after the project's last task, in one transaction: the
 * project's row is locked (`SELECT ... FOR UPDATE`) while its counter moves, so concurrent
 * creates in one project get 1, 2, 3, ... without gaps or duplicates, and creates in other
 * projects never wait. A project of another tenant is invisible (row-level security): 404.
 */
export async function createTask(tenant: TenantScope<ProjectsDatabase>, projectId: number, task: NewTask): Promise<Task> {
  return tenant.transaction(
    async ({ db, customerId }) => {
      const project = await db.selectFrom('projects').select(['id', 'task_seq']).where('id', '=', projectId).forUpdate().executeTakeFirst()
      if (!project) throw new NotFoundError('project', projectId)
      const number = project.task_seq + 1
      await db.updateTable('projects').set({ task_seq: number }).where('id', '=', projectId).execute()
      return db
        .insertInto('tasks')
        .values({ customer_id: customerId, project_id: projectId, number, title: task.title, priority: task.priority, due_date: task.due_date ?? null })
        .returningAll()
        .executeTakeFirstOrThrow()
    },
    { isolation: 'read committed', lockTimeoutMs: 2000 },
  )
}
