import { createHash, createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto'
import { z } from 'zod'
import { InvalidCursorError } from './invalid-cursor-error.js'
import type { KeysetValues } from './keyset-predicate.js'

/**
 * What a cursor carries: the boundary row's sort-key values, the direction to walk from it
 * (`n` next, `p` previous) and the binding hash of the list, ordering, filters, search and
 * scope it was made for.
 *
 * @example
 * ```ts
 * const payload: CursorPayload = { v: ['2025-01-31', '812'], d: 'n', b: 'k1x...' }
 * ```
 */
export interface CursorPayload {
  readonly v: KeysetValues
  readonly d: 'n' | 'p'
  readonly b: string
}

const PAYLOAD = z.object({ v: z.array(z.string().max(1000).nullable()).min(1).max(32), d: z.enum(['n', 'p']), b: z.string().max(64) }).strict()

/**
 * A secret for signing cursors: at least 16 bytes (a string is read as UTF-8).
 *
 * @example
 * ```ts
 * const cursorSecret: CursorSecret = config.cursorSecret // one secret shared by every instance; or a Uint8Array
 * const page = await listClaims(forTenant(upstream, 7), { pagination: 'cursor' }, { url: 'https://api.example.com/api/v1/claims/?pagination=cursor', cursorSecret })
 * ```
 */
export type CursorSecret = string | Uint8Array

/**
 * One cursor secret, or several for a rotation: the first signs new cursors, every one
 * verifies, so cursors handed out under the previous secret keep working while the new one
 * rolls out (deploy `[new, old]` everywhere, then `[new]` once the old cursors have expired
 * from clients' hands).
 *
 * @example
 * ```ts
 * const cursorSecret: CursorSecrets = ['2026-12-new-secret-32-bytes....', '2026-06-old-secret-32-bytes....']
 * await listClaims(forTenant(upstream, 7), req.query, { url, cursorSecret })
 * ```
 */
export type CursorSecrets = CursorSecret | readonly CursorSecret[]

function secretList(secret: CursorSecrets | undefined): readonly (CursorSecret | undefined)[] {
  if (secret === undefined || typeof secret === 'string' || secret instanceof Uint8Array) return [secret]
  const list = secret as readonly CursorSecret[]
  if (list.length === 0) throw new TypeError('A list of cursor secrets needs at least one secret (the first signs).')
  return list
}

/**
 * Checks cursor secrets when they are configured rather than on the first cursor: each at least
 * 16 bytes, a list not empty. Throws `TypeError` naming the problem; `undefined` (the process's
 * random secret) passes. `claimsOperations` calls it, so a server with a bad secret fails at
 * start instead of answering 500 to every cursor request.
 *
 * @example
 * ```ts
 * assertCursorSecrets(process.env.CURSOR_SECRET) // throws 'A cursor secret needs at least 16 bytes.' for 'short'
 * ```
 */
export function assertCursorSecrets(secret: CursorSecrets | undefined): void {
  for (const one of secretList(secret)) if (one !== undefined) keyOf(one)
}

let processSecret: Buffer | undefined

/**
 * The secret used when none is configured: random bytes made once per process (cursors then
 * do not survive a restart or cross instances: give every instance the same `cursorSecret`).
 * The library reads no environment variable; the app passes its secret.
 *
 * @example
 * ```ts
 * const secret = defaultCursorSecret()
 * ```
 */
export function defaultCursorSecret(): Buffer {
  return (processSecret ??= randomBytes(32))
}

function keyOf(secret: CursorSecret | undefined): KeyObject {
  if (typeof secret === 'string' || secret === undefined) {
    const cacheKey = secret
    if (cacheKey !== undefined) {
      let key = stringKeys.get(cacheKey)
      if (!key) {
        key = secretKey(Buffer.from(cacheKey, 'utf8'))
        if (stringKeys.size >= 100) stringKeys.clear()
        stringKeys.set(cacheKey, key)
      }
      return key
    }
    return (processKey ??= secretKey(defaultCursorSecret()))
  }
  return secretKey(Buffer.from(secret))
}

// HMAC keys made once per secret, not once per cursor
const stringKeys = new Map<string, KeyObject>()
let processKey: KeyObject | undefined

function secretKey(key: Buffer): KeyObject {
  if (key.length < 16) throw new TypeError('A cursor secret needs at least 16 bytes.')
  return createSecretKey(key)
}

function mac(key: KeyObject, body: string): Buffer {
  return createHmac('sha256', key).update('upstream-cursor.v1:').update(body).digest()
}

/**
 * The binding hash of a cursor: a short digest of everything the cursor is only valid with.
 *
 * @example
 * ```ts
 * cursorBinding({ list: 'claims', ordering: ['-service_date'], filters: [], search: [], scope: 'tenant:7' })
 * ```
 */
export function cursorBinding(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22)
}

/**
 * Signs a cursor payload: `base64url(json).base64url(hmac-sha256)`, with the secret, or with
 * the first of a list of secrets.
 *
 * @example
 * ```ts
 * const token = encodeCursor({ v: ['2025-01-31', '812'], d: 'n', b }, secret)
 * const rotated = encodeCursor({ v: ['2025-01-31', '812'], d: 'n', b }, [newSecret, oldSecret]) // signed with newSecret
 * ```
 */
export function encodeCursor(payload: CursorPayload, secret?: CursorSecrets): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')
  return `${body}.${mac(keyOf(secretList(secret)[0]), body).toString('base64url')}`
}

/**
 * Verifies and decodes a cursor made by {@link encodeCursor} with the same secret (or any of
 * a list of secrets: a cursor signed before a rotation still verifies) and `binding`. Anything
 * else (malformed, tampered, other secret, other binding) throws {@link InvalidCursorError}.
 *
 * @example
 * ```ts
 * const { v, d } = decodeCursor(token, secret, b)
 * decodeCursor(tokenSignedWithOldSecret, [newSecret, oldSecret], b) // verifies
 * ```
 */
export function decodeCursor(token: string, secret: CursorSecrets | undefined, binding: string): CursorPayload {
  const [body, signature, extra] = token.split('.')
  if (!body || !signature || extra !== undefined) throw new InvalidCursorError()
  const given = Buffer.from(signature, 'base64url')
  // every secret is tried (no early exit), so the time taken does not tell which one matched
  let verified = false
  for (const one of secretList(secret)) {
    const expected = mac(keyOf(one), body)
    if (given.length === expected.length && timingSafeEqual(given, expected)) verified = true
  }
  if (!verified) throw new InvalidCursorError()
  let payload: CursorPayload
  try {
    payload = PAYLOAD.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')))
  } catch (cause) {
    throw new InvalidCursorError('Invalid cursor.', { cause })
  }
  if (payload.b !== binding) throw new InvalidCursorError('This cursor was made for another ordering, filter, search or list; start again without it.')
  return payload
}
