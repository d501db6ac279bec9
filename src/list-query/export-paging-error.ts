import { ValidationError } from '../errors/index.js'

/**
 * The paging parameters an export refuses: an export answers every row its filters, search
 * and ordering select, so a page, a page size, a cursor, a limit or an offset would be
 * silently meaningless.
 *
 * @example
 * ```ts
 * EXPORT_PAGING_PARAMS.includes('cursor') // true: ?format=csv&cursor=... -> 400
 * ```
 */
export const EXPORT_PAGING_PARAMS = ['page', 'page_size', 'cursor', 'limit', 'offset', 'pagination'] as const

/**
 * A paging parameter was given with an export (`?format=csv&page=2`): 400, naming each one.
 *
 * @example
 * ```ts
 * throw exportPagingError(['page'])
 * // 400 { page: ['An export has every row, unpaginated: remove "page" (narrow it with filters instead).'] }
 * ```
 */
export function exportPagingError(params: readonly string[]): ValidationError {
  return new ValidationError(
    Object.fromEntries(params.map((p) => [p, [`An export has every row, unpaginated: remove "${p}" (narrow it with filters instead).`]])),
  )
}
