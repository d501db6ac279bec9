import { createHash } from 'node:crypto'

/**
 * Options of {@link docsPage}.
 *
 * @example
 * ```ts
 * const options: DocsPageOptions = { schemaUrl: '/claims-api/schema/', assetBaseUrl: '/claims-api/docs/' }
 * ```
 */
export interface DocsPageOptions {
  /** Where the browser fetches the OpenAPI document. Default `/api/v1/schema/`. */
  readonly schemaUrl?: string
  /** The URL path the page's assets are served under (see {@link docsAsset}). Default `/api/v1/docs/`. */
  readonly assetBaseUrl?: string
  /** The page's title. Default `upstream API reference`. */
  readonly title?: string
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

const STYLE = 'body { margin: 0 }'

function initScript(options: DocsPageOptions): string {
  const schemaUrl = options.schemaUrl ?? '/api/v1/schema/'
  return `
    window.ui = SwaggerUIBundle({
      url: ${JSON.stringify(schemaUrl).replace(/</g, '\\u003c')},
      dom_id: '#swagger-ui',
      deepLinking: true,
      persistAuthorization: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
    })
  `
}

/**
 * The HTML of the interactive API reference (Swagger UI), served on `GET /api/v1/docs/`.
 * It loads Swagger UI's script and style from `assetBaseUrl` (serve them with
 * {@link docsAsset}: nothing comes from the internet) and the document from `schemaUrl`.
 * The page has one inline script (the initializer) and one inline style; serve it with
 * {@link docsPageHeaders}, whose Content-Security-Policy admits that script by its hash.
 *
 * @example
 * ```ts
 * app.get('/api/v1/docs/', (_req, res) => res.type('html').send(docsPage()))
 * app.get('/api/v1/docs/:asset', async (req, res) => {
 *   const asset = await docsAsset(req.params.asset)
 *   if (!asset) return res.sendStatus(404)
 *   res.type(asset.contentType)
 *   asset.stream().pipe(res)
 * })
 * ```
 */
export function docsPage(options: DocsPageOptions = {}): string {
  const base = (options.assetBaseUrl ?? '/api/v1/docs/').replace(/\/?$/, '/')
  const title = escapeHtml(options.title ?? 'upstream API reference')
  const asset = (name: string) => escapeHtml(`${base}${name}`)
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="${asset('swagger-ui.css')}">
  <link rel="icon" type="image/png" href="${asset('favicon-32x32.png')}" sizes="32x32">
  <style>${STYLE}</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${asset('swagger-ui-bundle.js')}"></script>
  <script>${initScript(options)}</script>
</body>
</html>
`
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

/**
 * The response headers of the page {@link docsPage} renders with the same options: its
 * content type, a Content-Security-Policy that runs only the page's own inline script (by
 * hash) and scripts of this origin, loads nothing from elsewhere and forbids framing
 * (`frame-ancestors 'none'`, and `X-Frame-Options: DENY` for older browsers), plus
 * `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`. Swagger UI styles
 * its elements inline, hence `'unsafe-inline'` for styles only.
 *
 * @example
 * ```ts
 * app.get('/api/v1/docs/', (_req, res) => res.set(docsPageHeaders()).send(docsPage()))
 * ```
 */
export function docsPageHeaders(options: DocsPageOptions = {}): Readonly<Record<string, string>> {
  const policy = [
    "default-src 'none'",
    `script-src 'self' ${sha256(initScript(options))}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  return Object.freeze({
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': policy,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  })
}
