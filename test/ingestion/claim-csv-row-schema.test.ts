import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { claimCsvRowSchema } from '../support/upstream.js'
import { amountProblem, dateProblem } from '../../src/claims/ingestion/strict-values.js'

describe('strict values', () => {
  it('accepts exactly the amounts numeric(12,2) >= 0 stores without rounding', () => {
    for (const ok of ['0', '0.5', '0.50', '1234.5', '9999999999.99', '0000000000012.00', '-0']) expect(amountProblem(ok), ok).toBeUndefined()
    for (const bad of ['', '1.', '.5', '1e3', '1,000', '+1', '12.345', '-0.01', '-5', '99999999999', 'NaN', ' 1']) expect(amountProblem(bad), bad).toBeDefined()
  })

  it('agrees with a reference model on generated decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 4 }), fc.boolean(), (intDigits, fracDigits, negative) => {
        const text = `${negative ? '-' : ''}${'7'.repeat(Math.max(intDigits, 1))}${fracDigits ? '.' + '3'.repeat(fracDigits) : ''}`
        const expected = !negative && Math.max(intDigits, 1) <= 10 && fracDigits <= 2
        expect(amountProblem(text) === undefined).toBe(expected)
      }),
    )
  })

  it('accepts only real YYYY-MM-DD calendar dates', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        expect(dateProblem(d.toISOString().slice(0, 10))).toBeUndefined()
      }),
    )
    for (const bad of ['2023-02-29', '2024-04-31', '2024-00-10', '2024-1-1', '2024/01/01', '0000-01-01', '1900-02-29']) expect(dateProblem(bad), bad).toBeDefined()
    expect(dateProblem('2000-02-29')).toBeUndefined()
  })

  it('maps empty optional columns to null and trims text', () => {
    expect(
      claimCsvRowSchema.parse({ claim_number: ' C1 ', payer_name: 'P', cpt_code: '1', service_date: '2024-01-01', billed_amount: '1', allowed_amount: '', paid_amount: ' ', status: ' paid ', denial_reason: '' }),
    ).toEqual({ claim_number: 'C1', payer_name: 'P', cpt_code: '1', service_date: '2024-01-01', billed_amount: '1', allowed_amount: null, paid_amount: null, status: 'paid', denial_reason: null })
    expect(claimCsvRowSchema.safeParse({ claim_number: 'a\0b', payer_name: 'P', cpt_code: '1', service_date: '2024-01-01', billed_amount: '1', allowed_amount: '', paid_amount: '', status: 'paid', denial_reason: '' }).success).toBe(false)
  })
})
