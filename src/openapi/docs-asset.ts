import { createReadStream, type ReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * One static file of the reference page.
 *
 * @example
 * ```ts
 * const asset: DocsAsset | undefined = await docsAsset('swagger-ui.css')
 * ```
 */
export interface DocsAsset {
  /** The file's name, e.g. `swagger-ui-bundle.js`. */
  readonly name: string
  /** Its `Content-Type`. */
  readonly contentType: string
  /** Its size in bytes (`Content-Length`). */
  readonly size: number
  /** Its absolute path on disk (for `res.sendFile`). */
  readonly path: string
  /** A fresh stream of its bytes. */
  stream(): ReadStream
}

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
}

let root: Promise<string> | undefined

async function swaggerUiRoot(): Promise<string> {
  root ??= import('swagger-ui-dist/absolute-path.js').then((m: { default: () => string }) => m.default())
  return root
}

/**
 * The Swagger UI file that {@link docsPage} asks for, read from the installed
 * `swagger-ui-dist` package (an optional peer dependency), or `undefined` for any other
 * name: only the few files the page needs are served, never a path of the caller's choosing.
 *
 * @example
 * ```ts
 * const asset = await docsAsset('swagger-ui-bundle.js')
 * if (asset) { res.writeHead(200, { 'content-type': asset.contentType, 'content-length': asset.size }); asset.stream().pipe(res) }
 * ```
 */
export async function docsAsset(name: string): Promise<DocsAsset | undefined> {
  const contentType = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined
  if (!contentType) return undefined
  const path = join(await swaggerUiRoot(), name)
  const { size } = await stat(path)
  return Object.freeze({ name, contentType, size, path, stream: () => createReadStream(path) })
}

/**
 * The names {@link docsAsset} serves.
 *
 * @example
 * ```ts
 * for (const name of DOCS_ASSET_NAMES) router.get(`/api/v1/docs/${name}`, serve(name))
 * ```
 */
export const DOCS_ASSET_NAMES: readonly string[] = Object.freeze(Object.keys(ASSETS))
