import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { createConnection } from 'node:net'
import { freePort } from './own-postgres.js'

/**
 * A redis-server a test starts for itself on a free port, so it may stop or freeze it
 * without touching the machine's shared Redis.
 */
export interface OwnRedis {
  readonly port: number
  /** `redis://127.0.0.1:<port>` */
  readonly url: string
  /** SIGKILL: connections reset, new ones refused. */
  kill(): Promise<void>
  /** SIGSTOP: connections stay open, nothing answers (a hung or partitioned Redis). */
  freeze(): void
  /** SIGCONT after {@link OwnRedis.freeze}. */
  thaw(): void
  /** Starts it again on the same port (after {@link OwnRedis.kill}). */
  restart(): Promise<void>
  /** Stops it for good. */
  destroy(): Promise<void>
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => {
      socket.write('PING\r\n')
    })
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Starts `redis-server` (from PATH, or `REDIS_SERVER`) with no persistence on a free port.
 *
 * @example
 * ```ts
 * const redis = await startOwnRedis()
 * await redis.kill()
 * await redis.destroy()
 * ```
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const launch = async () => {
    child = spawn(process.env.REDIS_SERVER ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    for (let i = 0; i < 100; i++) {
      if (await answers(port)) return
      await sleep(50)
    }
    throw new Error(`redis-server did not start on port ${port}`)
  }
  const stop = async (signal: NodeJS.Signals) => {
    const current = child
    if (!current || current.exitCode !== null || current.signalCode !== null) return
    const exited = new Promise((resolve) => current.once('exit', resolve))
    current.kill('SIGCONT')
    current.kill(signal)
    await exited
  }
  await launch()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => stop('SIGKILL'),
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    restart: launch,
    destroy: () => stop('SIGKILL'),
  }
}
