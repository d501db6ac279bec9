import type { Upload } from '../core/index.js'
import { ValidationError } from '../../errors/index.js'

/**
 * The body has no CSV in it: no byte at all (then no upload row is created), or only blank
 * lines (then the upload that was opened ends `failed`). A {@link errors!ValidationError} on the
 * parameter `file`, so the HTTP layer answers 400 `{"file": ["The submitted file is empty."]}`.
 *
 * @example
 * ```ts
 * try { await ingestUpload(tenant, { filename: 'x.csv', body: Readable.from([]) }) }
 * catch (e) { if (e instanceof EmptyUploadError) console.log(e.fields) } // { file: ['The submitted file is empty.'] }
 * ```
 */
export class EmptyUploadError extends ValidationError {
  /** The failed upload, when one had been opened before the body turned out empty. */
  readonly upload: Upload | undefined
  constructor(upload?: Upload, options?: { cause?: unknown }) {
    super({ file: ['The submitted file is empty.'] }, options)
    this.upload = upload
  }
}
