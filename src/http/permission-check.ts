import type { HttpRequest } from './http-request.js'
import type { Principal } from './principal.js'

/**
 * What a {@link PermissionCheck} decides on.
 *
 * @example
 * ```ts
 * const permission: PermissionCheck = ({ principal, requiredScope, operationId }) => principal.scopes.includes(requiredScope) && operationId !== 'drift_reports_create'
 * ```
 */
export interface PermissionContext {
  /** The authenticated principal. */
  readonly principal: Principal
  /** The request. */
  readonly request: HttpRequest
  /** The request method, upper case. */
  readonly method: string
  /** The matched route template, such as `/uploads/{id}/` (relative to the base path). */
  readonly route: string
  /** The operation (such as `uploads.create`), or `undefined` when the method is not one the route answers. */
  readonly operationId: string | undefined
  /** The scope the built-in rule asks for: `read` for safe methods, `write` for the others. */
  readonly requiredScope: string
}

/**
 * Decides whether a principal may perform an operation; `false` answers 403. Replace it,
 * or extend the default: `(ctx) => scopePermission(ctx) && myRule(ctx)`.
 *
 * @example
 * ```ts
 * const noDriftRuns: PermissionCheck = (ctx) => scopePermission(ctx) && ctx.operationId !== 'drift.reports.create'
 * ```
 */
export type PermissionCheck = (context: PermissionContext) => boolean | Promise<boolean>

/**
 * The default permission check: the key needs scope `read` for GET (and HEAD) and
 * scope `write` for POST and every other method.
 *
 * @example
 * ```ts
 * scopePermission({ principal: { customerId: 1, scopes: ['read'] }, requiredScope: 'write', ... }) // false
 * ```
 */
export const scopePermission: PermissionCheck = (context) => context.principal.scopes.includes(context.requiredScope)
