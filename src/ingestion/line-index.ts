const LF = 0x0a

/**
 * Maps byte offsets of the CSV stream to 1-based line numbers, counting `\n` in the bytes
 * already seen. Chunks are pushed as they are read and dropped once the cursor has passed
 * them, so memory stays bounded by what is in flight in the parser. Offsets must be asked in
 * increasing order (records come out of the parser in order).
 *
 * (The parser's own `info.lines` counts a CRLF inside a quoted field as two lines, so the
 * library counts lines itself from the parser's exact `info.bytes`.)
 *
 * @example
 * ```ts
 * const index = new LineIndex()
 * index.push(Buffer.from('a,b\n1,2\n'))
 * index.lineAt(4) // 2: byte 4 is on the second line
 * ```
 */
export class LineIndex {
  #chunks: Buffer[] = []
  /** Absolute offset of `#chunks[0]`. */
  #base = 0
  /** The cursor: absolute offset and the line it is on. */
  #pos = 0
  #line = 1

  /** Adds the next chunk of the stream. */
  push(chunk: Buffer): void {
    if (chunk.length > 0) this.#chunks.push(chunk)
  }

  /** The 1-based line of the byte at `offset` (at or after the last offset asked). */
  lineAt(offset: number): number {
    while (this.#pos < offset) {
      const chunk = this.#chunks[0]
      if (!chunk) break
      const end = this.#base + chunk.length
      const stop = Math.min(offset, end)
      let i = this.#pos - this.#base
      const last = stop - this.#base
      for (;;) {
        const nl = chunk.indexOf(LF, i)
        if (nl === -1 || nl >= last) break
        this.#line++
        i = nl + 1
      }
      this.#pos = stop
      if (stop === end) {
        this.#chunks.shift()
        this.#base = end
      }
    }
    return this.#line
  }
}
