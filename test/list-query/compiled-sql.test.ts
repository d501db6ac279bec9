import { describe, expect, it } from 'vitest'
import { inlineParameters, shiftPlaceholders } from '../../src/list-query/compiled-sql.js'

// shiftPlaceholders keeps what it made, by text and offset (issue 12): the same text shifted by
// another offset, or another text, must never get a kept answer of the wrong one.
describe('shiftPlaceholders', () => {
  it('shifts every placeholder by the offset, whatever was shifted before', () => {
    const text = 'select * from t where a = $1 and b in ($2, $3) limit $10'
    expect(shiftPlaceholders(text, 0)).toBe(text)
    expect(shiftPlaceholders(text, 3)).toBe('select * from t where a = $4 and b in ($5, $6) limit $13')
    expect(shiftPlaceholders(text, 1)).toBe('select * from t where a = $2 and b in ($3, $4) limit $11')
    expect(shiftPlaceholders(text, 3)).toBe('select * from t where a = $4 and b in ($5, $6) limit $13')
    expect(shiftPlaceholders(`${text} `, 3)).toBe('select * from t where a = $4 and b in ($5, $6) limit $13 ')
    expect(shiftPlaceholders('x = $1', 3)).toBe('x = $4')
  })

  it('stays right past its bound of kept texts', () => {
    for (let i = 0; i < 2500; i++) expect(shiftPlaceholders(`v${i} = $1`, (i % 7) + 1)).toBe(`v${i} = $${(i % 7) + 2}`)
    expect(inlineParameters(shiftPlaceholders('a = $1', 1), [null, 'x'])).toBe("a = 'x'")
  })
})
