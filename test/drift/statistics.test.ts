import { describe, expect, it } from 'vitest'
import { benjaminiHochberg, driftSeverity, twoProportionZTest, welchTTest, type SampleSummary } from '../support/upstream.js'

/**
 * Reference values: published textbook examples, recomputed to full precision with
 * mpmath (40 digits) straight from the formulas (z: erfc(|z|/sqrt 2); Welch: the regularized
 * incomplete beta I_{df/(df+t^2)}(df/2, 1/2)), and cross-checked with SciPy 1.17
 * (`chi2_contingency(correction=False)`, `ttest_ind(equal_var=False)`, `false_discovery_control`).
 * Run in this repository's environment on 2026-11-26; the script is in the PR note.
 */
const TOL = 1e-6

function summary(values: readonly number[]): SampleSummary {
  const n = values.length
  const mean = values.reduce((a, b) => a + b, 0) / n
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
  return { n, mean, variance }
}

describe('twoProportionZTest (pooled, two-sided)', () => {
  it('OpenStax Introductory Statistics, Example 10.11 (hives: 20/200 vs 12/200; book: p-value 0.1404)', () => {
    const r = twoProportionZTest(20, 200, 12, 200)
    expect(Math.abs(r.statistic - -1.47441956154897)).toBeLessThan(TOL)
    expect(Math.abs(r.pValue - 0.140368660771673)).toBeLessThan(TOL)
  })

  it('10/100 vs 30/100: z = 0.2 / sqrt(0.2 * 0.8 * 0.02) = 3.5355339 (R prop.test X-squared = 12.5)', () => {
    const r = twoProportionZTest(10, 100, 30, 100)
    expect(Math.abs(r.statistic - 3.53553390593274)).toBeLessThan(TOL)
    expect(Math.abs(r.pValue - 0.000406952017444959)).toBeLessThan(TOL)
  })

  it('is symmetric and gives p = 1 when both samples agree exactly', () => {
    expect(twoProportionZTest(0, 50, 0, 70)).toEqual({ statistic: 0, pValue: 1 })
    expect(twoProportionZTest(50, 50, 70, 70)).toEqual({ statistic: 0, pValue: 1 })
    const a = twoProportionZTest(12, 200, 20, 200)
    expect(a.statistic).toBeCloseTo(1.47441956154897, 9)
    expect(() => twoProportionZTest(5, 0, 1, 10)).toThrow(RangeError)
  })
})

describe("welchTTest (t distribution, Welch–Satterthwaite df)", () => {
  // Wikipedia, "Welch's t-test", Example 1 (published rounded: t = -2.46, df = 24.9, p = 0.021;
  // sign flips here because we report second minus first).
  const A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
  const A2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]
  // Wikipedia, "Welch's t-test", Example 2 (unequal sizes; published: t = -2.22, df = 24.5, p = 0.036).
  const B1 = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0]
  const B2 = [28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3]

  it('example 1', () => {
    const r = welchTTest(summary(A1), summary(A2))
    expect(Math.abs(r.statistic - 2.455356398286005)).toBeLessThan(TOL)
    expect(Math.abs(r.df - 24.98852929023141)).toBeLessThan(TOL)
    expect(Math.abs(r.pValue - 0.02137800146286703)).toBeLessThan(TOL)
  })

  it('example 2 (small, unequal samples)', () => {
    const r = welchTTest(summary(B1), summary(B2))
    expect(Math.abs(r.statistic - 2.225512039969853)).toBeLessThan(TOL)
    expect(Math.abs(r.df - 24.52463494425735)).toBeLessThan(TOL)
    expect(Math.abs(r.pValue - 0.03548453083001022)).toBeLessThan(TOL)
  })

  it('handles zero variances and refuses samples below two', () => {
    expect(welchTTest({ n: 5, mean: 0.8, variance: 0 }, { n: 5, mean: 0.8, variance: 0 }).pValue).toBe(1)
    expect(welchTTest({ n: 5, mean: 0.8, variance: 0 }, { n: 5, mean: 0.7, variance: 0 }).pValue).toBe(0)
    expect(() => welchTTest({ n: 1, mean: 0.8, variance: 0 }, { n: 5, mean: 0.7, variance: 0.1 })).toThrow(RangeError)
  })
})

describe('benjaminiHochberg', () => {
  // Benjamini & Hochberg (1995), JRSS B 57(1), section 4.2: 15 p-values of a myocardial infarction
  // study. At q = 0.05 the step-up procedure rejects the four smallest (p <= 0.0095).
  const ps = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0]
  // R p.adjust(ps, "BH") / SciPy false_discovery_control(ps, method="bh"):
  const expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645, 0.0765, 0.486,
    0.5811818181818181, 0.714875, 0.7532307692307693, 0.8132142857142857, 1]

  it('matches the published example and rejects exactly four at 0.05', () => {
    const adj = benjaminiHochberg(ps)
    adj.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThan(1e-12))
    expect(adj.filter((a) => a < 0.05)).toHaveLength(4)
  })

  it('keeps the input order and is monotone in p', () => {
    const shuffled = [ps[7]!, ps[0]!, ps[14]!, ps[3]!]
    const adj = benjaminiHochberg(shuffled)
    expect(adj[1]!).toBeLessThanOrEqual(adj[3]!)
    expect(adj[3]!).toBeLessThanOrEqual(adj[0]!)
    expect(adj[2]).toBe(1)
    expect(benjaminiHochberg([])).toEqual([])
  })
})

describe('driftSeverity', () => {
  it('bands by |delta| and adjusted p', () => {
    expect(driftSeverity(0.2, 1e-9, 0.05)).toBe('high')
    expect(driftSeverity(-0.1, 0.004, 0.05)).toBe('high')
    expect(driftSeverity(0.12, 0.02, 0.05)).toBe('medium')
    expect(driftSeverity(-0.07, 1e-6, 0.05)).toBe('medium')
    expect(driftSeverity(0.05, 1e-6, 0.05)).toBe('medium')
    expect(driftSeverity(0.3 - 0.28, 1e-6, 0.05)).toBe('low')
    expect(driftSeverity(0.049, 1e-6, 0.05)).toBe('low')
  })
})
