/**
 * A value `JSON.stringify` writes as is: what a JSON response body holds.
 *
 * @example
 * ```ts
 * const body: JsonValue = { detail: 'Not found.' }
 * ```
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined }
