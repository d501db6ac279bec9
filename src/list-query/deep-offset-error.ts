import { ValidationError } from '../errors/index.js'

/**
 * A page-number or limit-offset request deeper than the list's `maxOffset`: HTTP 400 naming
 * the parameter and pointing to cursor pagination (which stays fast at any depth).
 *
 * @example
 * ```ts
 * if (e instanceof DeepOffsetError) console.log(e.maxOffset, e.fields)
 * ```
 */
export class DeepOffsetError extends ValidationError {
  /** The deepest offset the list serves. */
  readonly maxOffset: number
  constructor(param: 'page' | 'offset', maxOffset: number, cursorAvailable: boolean) {
    super({
      [param]: [
        `Pages deeper than offset ${maxOffset} are not served by page-number pagination; ` +
          (cursorAvailable ? 'use cursor pagination (pagination=cursor) and follow the next links instead.' : 'narrow the filters instead.'),
      ],
    })
    this.maxOffset = maxOffset
  }
}
