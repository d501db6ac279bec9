import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import pg from 'pg'

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

const PAGE_SIZE = 50
const COLUMNS = 'id, upload_id, claim_number, payer_name, cpt_code, service_date, billed_amount, allowed_amount, paid_amount, status, denial_reason, created_at'

/** The one statement of a page: its rows and, unless a cursor page, the exact count of all matches (a scalar subquery). */
function pageStatement(schema: string, query: URLSearchParams): { sql: string; params: unknown[]; counted: boolean } | undefined {
  const where: string[] = []
  const params: unknown[] = []
  let order = 'service_date desc, id desc'
  for (const [name, value] of query) {
    if (name === 'service_date') where.push(`service_date = $${params.push(value)}`)
    else if (name === 'status') where.push(`status = $${params.push(value)}`)
    else if (name === 'search') {
      // a plain ILIKE over the searched columns
      const n = params.push(`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      where.push(`(claim_number ilike $${n} or payer_name ilike $${n} or cpt_code ilike $${n})`)
    } else if (name === 'ordering' && value === '-billed_amount') order = 'billed_amount desc, id desc'
    else if (name === 'cursor') {
      const v = (JSON.parse(Buffer.from(value.split('.')[0]!, 'base64url').toString()) as { v: string[] }).v
      where.push(`(service_date, id) < ($${params.push(v[0])}::date, $${params.push(v[1])}::bigint)`)
    } else if (name !== 'pagination') return undefined
  }
  const counted = !query.has('cursor') && query.get('pagination') !== 'cursor'
  const filter = where.length ? ` where ${where.join(' and ')}` : ''
  // the count as a scalar subquery beside the rows: one statement, each part on its own plan
  const sql =
    `select ${counted ? `(select count(*) from ${schema}.claim_records${filter}) as total, ` : ''}${COLUMNS} from ${schema}.claim_records` +
    `${filter} order by ${order} limit ${PAGE_SIZE + 1}`
  return { sql, params, counted }
}

/**
 * A hand-written `node:http` + `pg` server for `GET /api/v1/claims/...`, as a team would write
 * it without the library: tokens cached in memory after their first lookup (a revoked key keeps
 * working until restart), the tenant set with row-level security in one round trip
 * (`BEGIN; SELECT set_config(...)`), rows and the exact count in one statement (the count
 * a scalar subquery; a search is a plain `ILIKE` with an exact count), then `COMMIT`.
 */
export function createBaselineServer(options: { connectionString: string; schema: string; runtimeRole?: string; poolSize?: number }): Server & {
  closePool(): Promise<void>
} {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, types })
  const schema = `"${options.schema.replace(/"/g, '""')}"`
  const role = options.runtimeRole ?? 'upstream_runtime'
  const tokens = new Map<string, number>()

  async function customerOf(token: string | undefined): Promise<number | undefined> {
    if (!token) return undefined
    const hash = createHash('sha256').update(token).digest('hex')
    const known = tokens.get(hash)
    if (known !== undefined) return known
    const { rows } = await pool.query<{ customer_id: number }>(`select customer_id from ${schema}.authenticate_api_key($1)`, [hash])
    if (rows[0]) tokens.set(hash, rows[0].customer_id)
    return rows[0]?.customer_id
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const statement = url.pathname === '/api/v1/claims/' ? pageStatement(schema, url.searchParams) : undefined
      if (!statement) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}')
        return
      }
      const customerId = await customerOf(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1])
      if (customerId === undefined) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end('{"detail":"Invalid token."}')
        return
      }
      const client = await pool.connect()
      let rows: Row[]
      try {
        await client.query(`begin read only; select set_config('upstream.customer_id', '${Number(customerId)}', true), set_config('role', '${role}', true)`)
        rows = (await client.query(statement.sql, statement.params)).rows as Row[]
        await client.query('commit')
      } catch (error) {
        await client.query('rollback').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
      const page = rows.slice(0, PAGE_SIZE).map(presentClaim)
      const last = page[page.length - 1]
      const base = `http://${req.headers.host}${url.pathname}`
      const next = rows.length > PAGE_SIZE && last ? `${base}?cursor=${Buffer.from(JSON.stringify([last.service_date, last.id])).toString('base64url')}` : null
      const count = statement.counted ? Number(rows[0]?.total ?? 0) : undefined
      const body = statement.counted ? { count, next, previous: null, results: page } : { next, previous: null, results: page }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: String(error) }))
    }
  })
  return Object.assign(server, { closePool: () => pool.end() })
}
