import { DENIAL_REASONS, PAYERS, PROCEDURES, PRACTICE_NAMES } from './catalog.js'
import { createRandom, hashSeed } from './random.js'

const DAY_MS = 86_400_000
/** How far back service dates go (13+ months). */
export const HISTORY_DAYS = 400

/** One upload of a seeded customer, before it has an id. */
export interface PlannedUpload {
  readonly filename: string
  readonly status: 'success' | 'failed'
  /** Claims in it (0 for the failed one). */
  readonly claims: number
  readonly rowCount: number | null
  readonly errorMessage: string | null
  readonly uploadedAt: Date
  readonly processingStartedAt: Date
  readonly processingCompletedAt: Date
  /** First service day (epoch day, inclusive) of its claims. */
  readonly firstDay: number
  /** Last service day (epoch day, exclusive). */
  readonly endDay: number
}

/** One claim of a seeded customer (amounts as exact `"123.45"` strings). */
export interface PlannedClaim {
  readonly uploadIndex: number
  readonly claim_number: string
  readonly payer_name: string
  readonly cpt_code: string
  readonly service_date: string
  readonly billed_amount: string
  readonly allowed_amount: string | null
  readonly paid_amount: string | null
  readonly status: 'submitted' | 'paid' | 'denied' | 'adjusted'
  readonly denial_reason: string | null
}

/** What makes one customer's data: same values, same rows. */
export interface CustomerPlanOptions {
  readonly seed: string
  /** 0-based position of the customer in the run. */
  readonly index: number
  readonly claims: number
  /** The day data runs up to (exclusive), `YYYY-MM-DD`. */
  readonly asOf: string
  /** A payer whose denial rate rises in the 30 days before `asOf`. */
  readonly driftPayer?: string | undefined
}

/**
 * The name of the n-th seeded customer (0-based): a practice name, numbered past the list.
 *
 * @example
 * ```ts
 * customerName(0) // 'Riverside Family Medicine'
 * ```
 */
export function customerName(index: number): string {
  const base = PRACTICE_NAMES[index % PRACTICE_NAMES.length] as string
  const round = Math.floor(index / PRACTICE_NAMES.length)
  return round === 0 ? base : `${base} ${round + 1}`
}

/**
 * Parses `YYYY-MM-DD` into a UTC epoch day.
 *
 * @example
 * ```ts
 * epochDay('1970-01-02') // 1
 * ```
 */
export function epochDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)
}

function cents(amount: number): string {
  const c = Math.max(0, Math.round(amount * 100))
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`
}

/**
 * The uploads of one seeded customer: one per window of service dates (about three weeks
 * of claims each, uploaded a day or so after the window), and one failed upload.
 *
 * @example
 * ```ts
 * planUploads({ seed: '1', index: 0, claims: 100_000, asOf: '2026-11-26' }).length // 21
 * ```
 */
export function planUploads(options: CustomerPlanOptions): PlannedUpload[] {
  const random = createRandom(hashSeed(`${options.seed}:uploads:${options.index}`))
  const end = epochDay(options.asOf)
  const start = end - HISTORY_DAYS
  const count = Math.min(20, Math.max(3, Math.ceil(options.claims / 5000)))
  const uploads: PlannedUpload[] = []
  for (let k = 0; k < count; k++) {
    const firstDay = start + Math.floor((k * HISTORY_DAYS) / count)
    const endDay = start + Math.floor(((k + 1) * HISTORY_DAYS) / count)
    const claims = Math.floor(options.claims / count) + (k < options.claims % count ? 1 : 0)
    const uploadedMs =
      k === count - 1 ? endDay * DAY_MS - random.int(1, 6) * 3_600_000 : endDay * DAY_MS + random.int(2, 30) * 3_600_000 + random.int(0, 3599) * 1000
    const startedMs = uploadedMs + random.int(1, 20) * 1000
    const completedMs = startedMs + Math.round(claims / 25 + random.int(300, 4000))
    uploads.push({
      filename: `claims_${new Date(firstDay * DAY_MS).toISOString().slice(0, 10)}_${new Date((endDay - 1) * DAY_MS).toISOString().slice(0, 10)}.csv`,
      status: 'success',
      claims,
      rowCount: claims,
      errorMessage: null,
      uploadedAt: new Date(uploadedMs),
      processingStartedAt: new Date(startedMs),
      processingCompletedAt: new Date(completedMs),
      firstDay,
      endDay,
    })
  }
  const failedDay = start + random.int(30, HISTORY_DAYS - 30)
  const failedMs = failedDay * DAY_MS + random.int(8, 18) * 3_600_000
  uploads.push({
    filename: `claims_resubmission_${new Date(failedDay * DAY_MS).toISOString().slice(0, 10)}.csv`,
    status: 'failed',
    claims: 0,
    rowCount: null,
    errorMessage: `Line ${random.int(2, 4000)}: service_date "2025-02-30" is not a valid date.`,
    uploadedAt: new Date(failedMs),
    processingStartedAt: new Date(failedMs + 2000),
    processingCompletedAt: new Date(failedMs + 2000 + random.int(200, 3000)),
    firstDay: failedDay,
    endDay: failedDay,
  })
  return uploads
}

/**
 * The claims of one seeded customer, upload by upload, in a stable order. Statuses follow
 * each payer's habits (recent claims are often still `submitted`); amounts have cents;
 * denied claims carry a reason; `driftPayer` denies far more in the last 30 days.
 *
 * @example
 * ```ts
 * for (const claim of planClaims(options, planUploads(options))) console.log(claim.claim_number)
 * ```
 */
export function* planClaims(options: CustomerPlanOptions, uploads: readonly PlannedUpload[]): Generator<PlannedClaim> {
  const random = createRandom(hashSeed(`${options.seed}:claims:${options.index}`))
  const end = epochDay(options.asOf)
  const payers = PAYERS.map((p) => ({ value: p, weight: p.weight }))
  const procedures = PROCEDURES.map((p) => ({ value: p, weight: p.weight }))
  const dates = new Map<number, string>()
  const dateOf = (day: number): string => {
    let text = dates.get(day)
    if (text === undefined) {
      text = new Date(day * DAY_MS).toISOString().slice(0, 10)
      dates.set(day, text)
    }
    return text
  }
  let sequence = 0
  for (let k = 0; k < uploads.length; k++) {
    const upload = uploads[k] as PlannedUpload
    for (let i = 0; i < upload.claims; i++) {
      sequence++
      const day = random.int(upload.firstDay, upload.endDay - 1)
      const daysAgo = end - day
      const payer = random.weighted(payers)
      const procedure = random.weighted(procedures)
      const billed = procedure.price * random.between(0.85, 1.35)
      const pSubmitted = daysAgo <= 21 ? 0.03 + 0.6 * (1 - daysAgo / 21) : 0.02
      const pDenied = payer.denialRate + (options.driftPayer === payer.name && daysAgo <= 30 ? 0.2 : 0)
      const r = random.next()
      let status: PlannedClaim['status']
      if (r < pSubmitted) status = 'submitted'
      else if (r < pSubmitted + (1 - pSubmitted) * pDenied) status = 'denied'
      else if (random.next() < 0.12) status = 'adjusted'
      else status = 'paid'
      const allowed = billed * payer.allowedRatio * random.between(0.9, 1.1)
      yield {
        uploadIndex: k,
        claim_number: `CLM-${dateOf(day).slice(2, 4)}${dateOf(day).slice(5, 7)}-${String(sequence).padStart(7, '0')}`,
        payer_name: payer.name,
        cpt_code: procedure.code,
        service_date: dateOf(day),
        billed_amount: cents(billed),
        allowed_amount: status === 'submitted' ? null : status === 'denied' ? '0.00' : cents(allowed),
        paid_amount:
          status === 'submitted' ? null : status === 'denied' ? '0.00' : cents(allowed * (status === 'paid' ? random.between(0.8, 1) : random.between(0.5, 0.85))),
        status,
        denial_reason: status === 'denied' ? random.pick(DENIAL_REASONS) : null,
      }
    }
  }
}
