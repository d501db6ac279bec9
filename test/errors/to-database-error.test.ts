import { describe, expect, it } from 'vitest'
import {
  CheckViolationError,
  DatabaseUnavailableError,
  ForeignKeyViolationError,
  LockNotAvailableError,
  sqlStateOf,
  toDatabaseError,
  UniqueViolationError,
} from '../support/upstream.js'

function systemError(code: string): Error {
  return Object.assign(new Error(`write ${code}`), { code, errno: -32, syscall: 'write' })
}

describe('toDatabaseError', () => {
  it('classifies SQLSTATEs', () => {
    expect(toDatabaseError(Object.assign(new Error('dup'), { code: '23505', constraint: 'k' }))).toBeInstanceOf(UniqueViolationError)
    expect(toDatabaseError(Object.assign(new Error('fk'), { code: '23503' }))).toBeInstanceOf(ForeignKeyViolationError)
    expect(toDatabaseError(Object.assign(new Error('check'), { code: '23514' }))).toBeInstanceOf(CheckViolationError)
    expect(toDatabaseError(Object.assign(new Error('lock'), { code: '55P03' }))).toBeInstanceOf(LockNotAvailableError)
    expect(toDatabaseError(Object.assign(new Error('admin shutdown'), { code: '57P01' }))).toBeInstanceOf(DatabaseUnavailableError)
  })

  it('does not read a Node system error code (EPIPE) as a SQLSTATE, and maps it to unavailable', () => {
    const epipe = systemError('EPIPE')
    expect(sqlStateOf(epipe)).toBeUndefined()
    expect(toDatabaseError(epipe)).toBeInstanceOf(DatabaseUnavailableError)
    expect(toDatabaseError(systemError('ECONNRESET'))).toBeInstanceOf(DatabaseUnavailableError)
  })

  it('leaves errors that are not from the database alone', () => {
    const e = new TypeError('x')
    expect(toDatabaseError(e)).toBe(e)
  })
})
