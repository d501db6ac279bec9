import { sql, type Kysely } from 'kysely'
import { coreMigrations, defineMigrationSet } from '@upstreamjs/upstream/db'
import { tenantTable } from '@upstreamjs/upstream/tenancy'

/**
 * The app's own migrations, on top of the tenancy core: `projects` and `tasks`, every key led
 * by the tenant column, `tasks` pointing at its project with a composite foreign key (so a
 * task can only belong to a project of its own tenant), each put under the tenant by
 * `tenantTable` (row-level security forced, grants, data-version triggers).
 */
export const projectsMigrations = defineMigrationSet({
  name: 'projects',
  requires: [coreMigrations],
  migrations: (ctx) => ({
    '0001-projects-and-tasks': {
      async up(db: Kysely<unknown>) {
        // `db` resolves these names in ctx.schema, next to the core's customers table
        await db.schema
          .createTable('projects')
          .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
          .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity())
          .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
          .addColumn('task_seq', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addPrimaryKeyConstraint('projects_pkey', ['customer_id', 'id'])
          .addUniqueConstraint('projects_name_key', ['customer_id', 'name'])
          .execute()
        await db.schema.createIndex('projects_created_at_idx').on('projects').columns(['customer_id', 'created_at', 'id']).execute()

        await db.schema
          .createTable('tasks')
          .addColumn('customer_id', 'bigint', (c) => c.notNull())
          .addColumn('id', 'bigint', (c) => c.generatedAlwaysAsIdentity())
          .addColumn('project_id', 'bigint', (c) => c.notNull())
          .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 1`))
          .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 500`))
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('todo').check(sql`status in ('todo', 'doing', 'done')`))
          .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(3).check(sql`priority between 1 and 5`))
          .addColumn('due_date', 'date')
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addPrimaryKeyConstraint('tasks_pkey', ['customer_id', 'id'])
          .addUniqueConstraint('tasks_number_key', ['customer_id', 'project_id', 'number'])
          .addForeignKeyConstraint('tasks_project_fkey', ['customer_id', 'project_id'], 'projects', ['customer_id', 'id'], (fk) => fk.onDelete('cascade'))
          .execute()
        await db.schema.createIndex('tasks_created_at_idx').on('tasks').columns(['customer_id', 'created_at', 'id']).execute()
        await db.schema.createIndex('tasks_status_idx').on('tasks').columns(['customer_id', 'status', 'created_at', 'id']).execute()
        await db.schema.createIndex('tasks_due_date_idx').on('tasks').columns(['customer_id', 'due_date', 'id']).execute()

        await tenantTable(db, 'projects', ctx)
        await tenantTable(db, 'tasks', ctx)
      },
    },
  }),
})
