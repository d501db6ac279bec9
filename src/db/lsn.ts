/**
 * A WAL position (`pg_lsn`, written `16/B374D848`) as a number of bytes, so positions compare
 * and subtract exactly. Internal.
 *
 * @example
 * ```ts
 * parseLsn('16/B374D848') // 98_570_001_480n
 * ```
 */
export function parseLsn(text: string): bigint {
  const slash = text.indexOf('/')
  if (slash < 1) throw new RangeError(`Not a WAL position: ${JSON.stringify(text)}`)
  return (BigInt(`0x${text.slice(0, slash)}`) << 32n) + BigInt(`0x${text.slice(slash + 1)}`)
}

/**
 * The `pg_lsn` text of a WAL position in bytes (the inverse of {@link parseLsn}). Internal.
 *
 * @example
 * ```ts
 * formatLsn(98_570_001_480n) // '16/B374D848'
 * ```
 */
export function formatLsn(bytes: bigint): string {
  return `${(bytes >> 32n).toString(16).toUpperCase()}/${(bytes & 0xffff_ffffn).toString(16).toUpperCase()}`
}
