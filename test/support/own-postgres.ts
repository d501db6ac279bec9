import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * A PostgreSQL cluster a test starts for itself (initdb into a temp dir, a free port), so a
 * fault test may stop, restart or replicate it without touching the machine's shared server.
 * Binaries: `PG_BIN`, else the newest `/usr/lib/postgresql/<n>/bin`. As root, every command
 * runs as the `postgres` OS user (`runuser`), as PostgreSQL refuses to run as root.
 */
export interface OwnPostgres {
  readonly port: number
  readonly dataDir: string
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string
  /** `pg_ctl stop -m fast` (in-flight sessions get 57P01, new connections are refused). */
  stop(): Promise<void>
  /** `pg_ctl start -w`: returns once the server accepts connections. */
  start(): Promise<void>
  /** A hot standby of this cluster (`pg_basebackup -R`), started and streaming. */
  standby(settings?: Readonly<Record<string, string>>): Promise<OwnPostgres>
  /** Stops the server (immediate) and removes its files. */
  destroy(): Promise<void>
}

function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  for (const version of ['17', '16', '15']) {
    const dir = `/usr/lib/postgresql/${version}/bin`
    if (existsSync(join(dir, 'pg_ctl'))) return dir
  }
  throw new Error('No PostgreSQL binaries: set PG_BIN to a directory holding initdb and pg_ctl (e.g. /usr/lib/postgresql/15/bin).')
}

const asRoot = process.getuid?.() === 0

async function pgCommand(tool: string, args: readonly string[]): Promise<string> {
  const bin = join(pgBin(), tool)
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]]
  const { stdout } = await run(file, argv, { timeout: 60_000 })
  return stdout
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

async function privateDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    await chown(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  await chmod(dir, 0o700)
  return dir
}

function cluster(root: string, dataDir: string, port: number, options: string): OwnPostgres {
  const log = join(root, 'server.log')
  const pgCtl = (args: readonly string[]) => pgCommand('pg_ctl', ['-D', dataDir, ...args])
  const start = async () => void (await pgCtl(['-l', log, '-w', '-t', '30', '-o', options, 'start']))
  const self: OwnPostgres = {
    port,
    dataDir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop: async () => void (await pgCtl(['-m', 'fast', '-w', 'stop'])),
    standby: async (settings = {}) => {
      const standbyRoot = await privateDir('upstream-standby-')
      const standbyData = join(standbyRoot, 'data')
      const standbyPort = await freePort()
      await pgCommand('pg_basebackup', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-D', standbyData, '-R', '-X', 'stream', '-c', 'fast'])
      const extra = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ')
      const standby = cluster(standbyRoot, standbyData, standbyPort, `${serverOptions(standbyPort, standbyRoot)} -c hot_standby=on ${extra}`)
      await standby.start()
      return standby
    },
    destroy: async () => {
      await pgCtl(['-m', 'immediate', 'stop']).catch(() => undefined)
      await rm(root, { recursive: true, force: true })
    },
  }
  return self
}

function serverOptions(port: number, socketDir: string): string {
  return `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${socketDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
}

/**
 * Starts a fresh cluster of its own (trust authentication, user `postgres`). Call
 * `destroy()` in `afterAll`.
 *
 * @example
 * ```ts
 * const pg = await startOwnPostgres()
 * await pg.stop(); await pg.start()
 * await pg.destroy()
 * ```
 */
export async function startOwnPostgres(settings: Readonly<Record<string, string>> = {}): Promise<OwnPostgres> {
  const root = await privateDir('upstream-own-pg-')
  const dataDir = join(root, 'data')
  await pgCommand('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'])
  const port = await freePort()
  const extra = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ')
  const pg = cluster(root, dataDir, port, `${serverOptions(port, root)} ${extra}`)
  try {
    await pg.start()
  } catch (error) {
    await rm(root, { recursive: true, force: true })
    throw error
  }
  return pg
}
