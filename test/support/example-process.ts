import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { freePort } from './own-postgres.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** An example server running in a process of its own (as `npm run example:<name>` runs it). */
export interface ExampleProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly child: ChildProcess
  /** Whether the process is still running. */
  alive(): boolean
  /** Its stdout and stderr so far (the last 200 lines). */
  output(): string
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>
}

/**
 * Starts `examples/<name>/server.ts` with `env` on a free port and resolves once it answers
 * `/api/v1/schema/`. Its output is drained all along (kept for diagnostics), so it never blocks.
 *
 * @example
 * ```ts
 * const server = await startExampleProcess('express', { DATABASE_URL: url })
 * await fetch(`${server.url}/api/v1/schema/`)
 * await server.stop()
 * ```
 */
export async function startExampleProcess(name: 'express' | 'koa', env: Readonly<Record<string, string>>): Promise<ExampleProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}/server.ts`], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let exited = false
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.length > 0))
    if (lines.length > 200) lines.splice(0, lines.length - 200)
  }
  child.stderr!.on('data', keep)
  child.stdout!.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  for (let waited = 0; ; waited += 100) {
    if (exited) throw new Error(`the ${name} example exited:\n${lines.join('\n')}`)
    if (waited > 60_000) {
      child.kill('SIGKILL')
      throw new Error(`the ${name} example did not start:\n${lines.join('\n')}`)
    }
    const up = await fetch(`${url}/api/v1/schema/`).then(
      (r) => r.ok,
      () => false,
    )
    if (up) break
    await sleep(100)
  }
  return {
    url,
    child,
    alive: () => !exited,
    output: () => lines.join('\n'),
    stop: async () => {
      if (exited) return
      child.kill('SIGTERM')
      const force = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exit
      clearTimeout(force)
    },
  }
}
