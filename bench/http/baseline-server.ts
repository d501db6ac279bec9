import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import pg from 'pg'
import type { CapturedRequest } from './captured-request.js'

const PG_INT8 = 20
const PG_NUMERIC = 1700
const PG_DATE = 1082

/** The same value conventions as the library's pool: bigint as number, numeric and date as strings. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      if (oid === PG_INT8) return (v: string) => Number(v)
      if (oid === PG_DATE || oid === PG_NUMERIC) return (v: string) => v
    }
    return pg.types.getTypeParser(oid, format as 'text')
  },
} as pg.CustomTypesConfig

type Row = Record<string, unknown>

const amount = (v: unknown) => (v === null || v === undefined ? null : Number(v).toFixed(2))
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v))

function presentClaim(r: Row) {
  return {
    id: r.id,
    upload_id: r.upload_id,
    claim_number: r.claim_number,
    payer_name: r.payer_name,
    cpt_code: r.cpt_code,
    service_date: r.service_date,
    billed_amount: amount(r.billed_amount),
    allowed_amount: amount(r.allowed_amount),
    paid_amount: amount(r.paid_amount),
    status: r.status,
    denial_reason: r.denial_reason,
    created_at: iso(r.created_at),
  }
}

/**
 * A hand-written `node:http` + `pg` server for the HTTP benchmark: for each known request it
 * checks the bearer token (SHA-256, as the library stores it), runs the very statements the
 * library runs for that request in steady state (captured from its query log: token lookup,
 * transaction, tenant settings, count with its data-version check, page) on one pooled client,
 * and writes the envelope itself. Like the library, it counts once and then only checks that
 * the tenant's data version is unchanged. No
 * framework, no validation layer, no routing table: the floor the examples are compared to.
 *
 * @example
 * ```ts
 * const server = createBaselineServer({ connectionString: url, requests })
 * server.listen(0)
 * ```
 */
export function createBaselineServer(options: {
  connectionString: string
  requests: readonly CapturedRequest[]
  poolSize?: number
  /** Look the token up on its own pooled connection, as the library does (default: one client per request). */
  splitAuth?: boolean
}): Server & {
  closePool(): Promise<void>
} {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, types })
  const byPath = new Map(options.requests.map((r) => [r.path, r]))
  const counts = new Map<string, number>()

  /** Runs one request's statements on one client; answers `undefined` when the token is refused. */
  async function run(captured: CapturedRequest, statements: CapturedRequest['statements'], hash: string | undefined) {
    if (options.splitAuth) {
      // As the library does it: the token lookup on one pooled connection, the work on another.
      const auth = statements.find((s) => s.role === 'auth')
      if (auth && (await pool.query(auth.sql, [hash])).rows.length === 0) return undefined
      statements = statements.filter((s) => s.role !== 'auth')
    }
    const client = await pool.connect()
    try {
      let count: number | undefined
      let rows: Row[] = []
      for (const s of statements) {
        // The token lookup runs with this request's hash, never the captured one.
        const result = await client.query(s.sql, s.role === 'auth' ? [hash] : (s.parameters as unknown[]))
        if (s.role === 'auth' && result.rows.length === 0) {
          await client.query('rollback')
          return undefined
        }
        if (s.role === 'count') {
          const counted = (result.rows[0] as { result?: { count?: number } | null } | undefined)?.result
          count = counted ? Number(counted.count) : counts.get(captured.path)
        }
        if (s.role === 'rows') rows = result.rows
      }
      return { count, rows }
    } catch (error) {
      await client.query('rollback').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  }

  const server = createServer(async (req, res) => {
    const captured = byPath.get(req.url ?? '')
    if (!captured) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}')
      return
    }
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1]
    const hash = token ? createHash('sha256').update(token).digest('hex') : undefined
    try {
      if (captured.style === 'page-number' && !counts.has(captured.path)) {
        const first = await run(captured, captured.firstStatements, hash)
        if (first?.count !== undefined) counts.set(captured.path, first.count)
      }
      const answer = await run(captured, captured.statements, hash)
      if (!answer) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end('{"detail":"Invalid token."}')
        return
      }
      const { count, rows } = answer
      const page = rows.slice(0, captured.pageSize).map(presentClaim)
      const last = page[page.length - 1]
      const base = `http://${req.headers.host}${captured.path.split('?')[0]}`
      const next =
        rows.length > captured.pageSize && last
          ? `${base}?cursor=${Buffer.from(JSON.stringify([last.service_date, last.id])).toString('base64url')}`
          : null
      const body =
        captured.style === 'cursor'
          ? { next, previous: null, results: page }
          : { count, next: (count ?? 0) > captured.pageSize ? `${base}?page=2` : null, previous: null, results: page }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: String(error) }))
    }
  })
  return Object.assign(server, { closePool: () => pool.end() })
}
