import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { entityTagOf } from '../../src/http/conditional/entity-tag.js'
import type { HttpRequest } from '../support/upstream.js'

const principal = { customerId: 7, keyId: 1, scopes: ['write', 'read'] }
const tagOf = (search: string) => {
  const url = `http://api.example.com/api/v1/claims/${search}`
  const u = new URL(url)
  const request: HttpRequest = { method: 'GET', path: u.pathname, query: u.searchParams, headers: {}, body: null, url }
  return entityTagOf({ operationId: 'claims_list', request, principal, versions: ['42'] })
}

// entityTagOf skips the sorted copy of a query of one parameter (issue 12): the tag must stay
// what the sorted query gives, and order must still count only between names.
describe('entityTagOf', () => {
  it('one parameter or none: the tag of the sorted query, as before', () => {
    const expected = (query: string) =>
      `W/"${createHash('sha256')
        .update(JSON.stringify([['42'], 7, ['read', 'write'], 'claims_list', 'http://api.example.com/api/v1/claims/', query, '']))
        .digest('base64url')
        .slice(0, 27)}"`
    expect(tagOf('?service_date=2026-11-18')).toBe(expected('service_date=2026-11-18'))
    expect(tagOf('')).toBe(expected(''))
    expect(tagOf('?b=2&a=1')).toBe(expected('a=1&b=2'))
  })

  it('names in any order share a tag; values, and the order of one name\'s values, do not', () => {
    expect(tagOf('?b=2&a=1')).toBe(tagOf('?a=1&b=2'))
    expect(tagOf('?a=1')).not.toBe(tagOf('?a=2'))
    expect(tagOf('?a=1&a=2')).not.toBe(tagOf('?a=2&a=1'))
    expect(tagOf('?a=1')).not.toBe(tagOf(''))
  })
})
