/** A seeded pseudo-random source: the same seed always gives the same sequence. */
export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number
  /** A float in [min, max). */
  between(min: number, max: number): number
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T
  /** One element, by weight. */
  weighted<T>(items: readonly { readonly value: T; readonly weight: number }[]): T
}

/**
 * A 32-bit hash of a string (FNV-1a), to derive independent seeds from text.
 *
 * @example
 * ```ts
 * hashSeed('1:customer:3') // 2918475210 (always)
 * ```
 */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * mulberry32: a small, fast, seeded PRNG (Tommy Ettinger, public domain). Good enough
 * for realistic test data; never for anything secret.
 *
 * @example
 * ```ts
 * const random = createRandom(hashSeed('seed-1'))
 * random.int(1, 6) // a die roll, the same every run
 * ```
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    weighted: (items) => {
      const total = items.reduce((sum, item) => sum + item.weight, 0)
      let r = next() * total
      for (const item of items) {
        r -= item.weight
        if (r < 0) return item.value
      }
      return (items[items.length - 1] as (typeof items)[number]).value
    },
  }
}
