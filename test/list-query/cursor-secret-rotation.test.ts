import { describe, expect, it } from 'vitest'
import { InvalidCursorError, assertCursorSecrets, cursorBinding, decodeCursor, encodeCursor } from '../../src/list-query/index.js'
import { claimsOperations } from '../../src/claims/http/claims-operations.js'

const OLD = 'old-secret-0123456789abcdef'
const NEW = 'new-secret-0123456789abcdef'
const OTHER = 'other-secret-0123456789abcdef'
const b = cursorBinding({ list: 'claims', ordering: ['-service_date'], scope: 'upstream:tenant:7' })
const payload = { v: ['2025-01-31', '812'], d: 'n', b } as const

describe('cursor secret rotation: the first secret signs, every one verifies', () => {
  it('a cursor signed with the old secret still verifies once the new one is first', () => {
    const before = encodeCursor(payload, OLD) // handed out before the rotation
    expect(decodeCursor(before, [NEW, OLD], b)).toEqual(payload)
    expect(decodeCursor(before, [OLD], b)).toEqual(payload)
  })

  it('new cursors are signed with the first secret only', () => {
    const after = encodeCursor(payload, [NEW, OLD])
    expect(after).toBe(encodeCursor(payload, NEW))
    expect(decodeCursor(after, NEW, b)).toEqual(payload)
    expect(() => decodeCursor(after, OLD, b)).toThrow(InvalidCursorError)
  })

  it('once the old secret is dropped, its cursors are refused; a secret never listed never verifies', () => {
    const before = encodeCursor(payload, OLD)
    expect(() => decodeCursor(before, [NEW], b)).toThrow(InvalidCursorError)
    expect(() => decodeCursor(encodeCursor(payload, OTHER), [NEW, OLD], b)).toThrow(InvalidCursorError)
  })

  it('a tampered cursor is refused by every secret of the list', () => {
    const token = encodeCursor(payload, [NEW, OLD])
    const [body, signature] = token.split('.') as [string, string]
    const forged = `${Buffer.from(JSON.stringify({ ...payload, v: ['2030-01-01', '1'] })).toString('base64url')}.${signature}`
    expect(() => decodeCursor(forged, [NEW, OLD], b)).toThrow(InvalidCursorError)
    expect(decodeCursor(`${body}.${signature}`, [OLD, NEW], b)).toEqual(payload)
  })

  it('an empty list is a configuration error, not a silent random secret', () => {
    expect(() => encodeCursor(payload, [])).toThrow(TypeError)
    expect(() => decodeCursor('x.y', [], b)).toThrow(TypeError)
  })
})

describe('a bad cursor secret fails where it is configured, not on the first cursor request', () => {
  it('assertCursorSecrets refuses a short secret, one in a list, and an empty list; passes good ones and none', () => {
    expect(() => assertCursorSecrets('short')).toThrow('A cursor secret needs at least 16 bytes.')
    expect(() => assertCursorSecrets([NEW, 'short'])).toThrow('A cursor secret needs at least 16 bytes.')
    expect(() => assertCursorSecrets([])).toThrow(/at least one secret/)
    expect(() => assertCursorSecrets([NEW, OLD])).not.toThrow()
    expect(() => assertCursorSecrets(undefined)).not.toThrow()
  })

  it('claimsOperations throws at construction with a short secret (it answered 500 on every cursor request)', () => {
    expect(() => claimsOperations({ cursorSecret: 'ab-secret' })).toThrow('A cursor secret needs at least 16 bytes.')
    expect(() => claimsOperations({ cursorSecret: NEW })).not.toThrow()
  })
})
