/**
 * Capped exponential backoff with full jitter: a uniform draw in
 * `[0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))]` (AWS Architecture Blog, "Exponential Backoff And Jitter").
 *
 * @example
 * ```ts
 * backoffDelay(3, 10, 1000) // somewhere in [0, 40]
 * ```
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(random() * ceiling)
}
