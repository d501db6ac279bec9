import { isIngestionFailed, uploadCsv, type Claim, type DriftReportDetail, type UpstreamClient, type Upload } from './upstream-client.js'

/**
 * What {@link runClientExample} did, for a caller (or a test) to check.
 *
 * @example
 * ```ts
 * const { upload, deniedCount } = await runClientExample(client)
 * ```
 */
export interface ClientExampleResult {
  readonly upload: Upload
  readonly rejectedLines: readonly number[]
  readonly deniedCount: number | null
  readonly topDenied: readonly Claim[]
  readonly walkedByCursor: number
  readonly firstClaim: Claim
  readonly badFilter: Readonly<Record<string, readonly string[]>>
  readonly report: DriftReportDetail
  readonly reportCreated: boolean
}

const HEADER = 'claim_number,payer_name,cpt_code,service_date,billed_amount,allowed_amount,paid_amount,status,denial_reason'

function sampleCsv(prefix: string, rows: number): string {
  const lines = [HEADER]
  for (let i = 1; i <= rows; i++) {
    const status = ['paid', 'denied', 'adjusted', 'submitted'][i % 4]!
    const billed = (100 + i * 7.25).toFixed(2)
    lines.push(`${prefix}-${i},${i % 2 ? 'Aetna' : 'Cigna'},99213,2026-0${1 + (i % 5)}-1${i % 9},${billed},${billed},${status === 'paid' ? billed : ''},${status},${status === 'denied' ? 'CO-97' : ''}`)
  }
  return `${lines.join('\n')}\n`
}

/** Fails with the status and body of an answer that was not the one expected. */
function unexpected(what: string, response: Response, error: unknown): never {
  throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(error)}`)
}

/**
 * A tour of the typed client: uploads a CSV (and a broken one, whose row errors come back
 * typed), lists denied claims by amount, walks every claim with cursor pagination, reads one
 * claim, shows a 400 for a bad filter, and runs drift detection. Every path, parameter, body
 * and response below is checked by the compiler against the generated types.
 *
 * @example
 * ```ts
 * const result = await runClientExample(createUpstreamClient({ baseUrl: 'http://localhost:3000', token }), console.log)
 * ```
 */
export async function runClientExample(client: UpstreamClient, log: (line: string) => void = () => undefined): Promise<ClientExampleResult> {
  const prefix = `client-${Date.now().toString(36)}`

  // POST /uploads/ (text/csv): 201 with the upload
  const uploaded = await uploadCsv(client, `${prefix}.csv`, sampleCsv(prefix, 40))
  if (!uploaded.data) unexpected('upload', uploaded.response, uploaded.error)
  const upload = uploaded.data
  log(`uploaded ${upload.filename}: ${upload.status}, ${upload.row_count} rows in ${upload.processing_time} s`)

  // ...and a broken file: 422, nothing loaded, row errors with their file lines
  const broken = await uploadCsv(client, `${prefix}-broken.csv`, `${HEADER}\n${prefix}-x,Aetna,99213,2026-02-30,12.00,,,paid,\n`)
  if (broken.response.status !== 422 || !isIngestionFailed(broken.error)) unexpected('broken upload', broken.response, broken.error)
  const rejectedLines = broken.error.errors.map((e) => e.line)
  log(`rejected ${prefix}-broken.csv: ${broken.error.errors.map((e) => `line ${e.line} ${e.column ?? ''}: ${e.message}`).join('; ')}`)

  // GET /claims/ with typed filters and ordering (page-number pagination)
  const denied = await client.GET('/api/v1/claims/', {
    params: { query: { status: ['denied'], upload: [upload.id], ordering: ['-billed_amount', 'claim_number'], page_size: 5 } },
  })
  if (!denied.data) unexpected('denied claims', denied.response, denied.error)
  const deniedCount = 'count' in denied.data ? denied.data.count : null
  log(`${deniedCount} denied claims; the largest: ${denied.data.results.map((c) => `${c.claim_number} ${c.billed_amount}`).join(', ')}`)

  // every claim of the upload, with cursor pagination: follow `next` until it is null
  let walkedByCursor = 0
  let cursor: string | undefined
  for (;;) {
    const page = await client.GET('/api/v1/claims/', { params: { query: { upload: [upload.id], pagination: 'cursor', page_size: 15, ...(cursor ? { cursor } : {}) } } })
    if (!page.data) unexpected('cursor page', page.response, page.error)
    walkedByCursor += page.data.results.length
    if (!page.data.next) break
    cursor = new URL(page.data.next).searchParams.get('cursor') ?? undefined
  }
  log(`walked ${walkedByCursor} claims by cursor`)

  // GET /claims/{id}/
  const firstId = denied.data.results[0]?.id
  if (firstId === undefined) throw new Error('no denied claim in the sample')
  const one = await client.GET('/api/v1/claims/{id}/', { params: { path: { id: firstId } } })
  if (!one.data) unexpected('one claim', one.response, one.error)
  log(`claim ${one.data.id}: ${one.data.payer_name} ${one.data.cpt_code} billed ${one.data.billed_amount}, ${one.data.status} (${one.data.denial_reason})`)

  // a malformed filter value: 400 with messages per parameter (DRF's shape), typed
  const bad = await client.GET('/api/v1/claims/', { params: { query: { min_amount: ['12.345'] } } })
  if (bad.response.status !== 400 || !bad.error) unexpected('bad filter', bad.response, bad.error)
  const badFilter = bad.error as Readonly<Record<string, readonly string[]>>
  log(`bad filter: ${JSON.stringify(badFilter)}`)

  // POST /drift/reports/ with a typed JSON body: 201 new, 200 the same report again
  const drift = await client.POST('/api/v1/drift/reports/', { body: { as_of: '2026-06-01', current_days: 60, baseline_days: 90, group_by: 'payer', min_claims: 2 } })
  if (!drift.data) unexpected('drift run', drift.response, drift.error)
  log(`drift report ${drift.data.id}: ${drift.data.groups_tested} groups tested, ${drift.data.events_count} events (HTTP ${drift.response.status})`)

  return {
    upload,
    rejectedLines,
    deniedCount,
    topDenied: denied.data.results,
    walkedByCursor,
    firstClaim: one.data,
    badFilter,
    report: drift.data,
    reportCreated: drift.response.status === 201,
  }
}
