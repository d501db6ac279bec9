import { isUtf8 } from 'node:buffer'

/** Leading bytes that say what a body is, when it is not UTF-8 text. */
const SIGNATURES: readonly (readonly [readonly number[], string])[] = [
  [[0x00, 0x00, 0xfe, 0xff], 'it starts with a UTF-32 byte order mark (UTF-32BE)'],
  [[0xff, 0xfe, 0x00, 0x00], 'it starts with a UTF-32 byte order mark (UTF-32LE)'],
  [[0xfe, 0xff], 'it starts with a UTF-16 byte order mark (UTF-16BE)'],
  [[0xff, 0xfe], 'it starts with a UTF-16 byte order mark (UTF-16LE)'],
  [[0x1f, 0x8b], 'it is gzip-compressed'],
  [[0x50, 0x4b, 0x03, 0x04], 'it is a zip archive (an .xlsx workbook is one)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'it is zstd-compressed'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'it is xz-compressed'],
  [[0x42, 0x5a, 0x68], 'it is bzip2-compressed'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'it is a legacy Office document (.xls)'],
]

const ADVICE = 'Send the CSV uncompressed, as UTF-8 text.'

/**
 * What is wrong with the first bytes of an upload, if they cannot start a UTF-8 CSV: a
 * UTF-16 or UTF-32 byte order mark, the signature of a compressed or binary format, or a
 * header row (the bytes before the first line break of this chunk) holding a NUL byte or
 * bytes that are not UTF-8. `undefined` when they may.
 *
 * @example
 * ```ts
 * sniffUploadBytes(Buffer.from([0x1f, 0x8b, 0x08])) // 'The file is not UTF-8 text: it is gzip-compressed. Send the CSV uncompressed, as UTF-8 text.'
 * sniffUploadBytes(Buffer.from('claim_number,payer_name\n')) // undefined
 * ```
 */
export function sniffUploadBytes(first: Buffer): string | undefined {
  for (const [signature, what] of SIGNATURES) {
    if (first.length >= signature.length && signature.every((byte, i) => first[i] === byte)) return `The file is not UTF-8 text: ${what}. ${ADVICE}`
  }
  const end = first.indexOf(0x0a)
  const header = end === -1 ? first : first.subarray(0, end)
  const nul = header.indexOf(0)
  if (nul !== -1) return `The file is not UTF-8 text: its header row holds a NUL byte (0x00) at byte ${nul + 1}, as UTF-16 text or binary data do. ${ADVICE}`
  // a header cut by the end of this chunk may end inside a character: check what is complete
  const complete = end === -1 ? header.subarray(0, completeLength(header)) : header
  if (!isUtf8(complete)) {
    const at = firstInvalidUtf8(complete)
    return `The file is not UTF-8 text: its header row holds the byte 0x${hex(complete[at])} at byte ${at + 1}, which is not UTF-8. ${ADVICE}`
  }
  return undefined
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).toUpperCase().padStart(2, '0')
}

/** The length of `bytes` without a trailing, incomplete UTF-8 sequence (at most 3 bytes). */
function completeLength(bytes: Buffer): number {
  const n = bytes.length
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = bytes[n - back] as number
    if ((byte & 0xc0) === 0x80) continue // a continuation byte: look further back
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return need > back ? n - back : n
  }
  return n
}

/** The index of the first byte where `bytes` stops being valid UTF-8 (RFC 3629; only called once `isUtf8` said no). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0
  while (i < bytes.length) {
    const lead = bytes[i] as number
    if (lead < 0x80) {
      i++
      continue
    }
    const more = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0
    if (more === 0 || i + more >= bytes.length) return i
    const second = bytes[i + 1] as number
    // overlong forms, UTF-16 surrogates and code points past U+10FFFF (RFC 3629, section 4)
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f) || (lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return i
    for (let k = 1; k <= more; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i
    i += more + 1
  }
  return bytes.length - 1
}

/**
 * Where a body stopped being UTF-8 text: the 1-based line and the byte offset, for the
 * upload's error list.
 *
 * @example
 * ```ts
 * const bad: Utf8Problem = { line: 7, byte: 512, message: 'Line 7 is not UTF-8 text ...' }
 * ```
 */
export interface Utf8Problem {
  readonly line: number
  readonly byte: number
  readonly message: string
}

/**
 * Checks a body chunk by chunk for valid UTF-8 (`isUtf8`, native), a character split across
 * two chunks included, and counts lines so that a problem names its line.
 *
 * @example
 * ```ts
 * const check = new Utf8Stream()
 * for await (const chunk of body) { const bad = check.push(chunk); if (bad) throw new Error(bad.message) }
 * const bad = check.end()
 * ```
 */
export class Utf8Stream {
  #carry: Buffer = Buffer.alloc(0)
  #bytes = 0
  #lines = 0

  /** Checks the next chunk; the problem, if it holds one. */
  push(chunk: Buffer): Utf8Problem | undefined {
    const bytes = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk
    const cut = completeLength(bytes)
    const complete = bytes.subarray(0, cut)
    if (!isUtf8(complete)) {
      const at = firstInvalidUtf8(complete)
      return this.#problem(complete, at, `holds the byte 0x${hex(complete[at])}, which is not UTF-8`)
    }
    this.#count(complete)
    this.#carry = Buffer.from(bytes.subarray(cut))
    return undefined
  }

  /** The problem of a body that ended inside a character, if it did. */
  end(): Utf8Problem | undefined {
    if (this.#carry.length === 0) return undefined
    return this.#problem(this.#carry, 0, 'ends inside a UTF-8 character')
  }

  #count(bytes: Buffer): void {
    for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) this.#lines++
    this.#bytes += bytes.length
  }

  #problem(bytes: Buffer, at: number, what: string): Utf8Problem {
    let line = this.#lines + 1
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < at; i = bytes.indexOf(0x0a, i + 1)) line++
    const byte = this.#bytes + at + 1
    return { line, byte, message: `The file is not UTF-8 text: line ${line} ${what} (byte ${byte} of the file). ${ADVICE}` }
  }
}
