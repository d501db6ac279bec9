import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { OpenApiDocument } from '../support/upstream.js'

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin

const pointer = (...segments: string[]) => segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

/**
 * Validates response bodies against the schemas an OpenAPI 3.1 document gives them
 * (JSON Schema 2020-12 through ajv, with formats), the way a generated client would read them.
 */
export class OpenApiResponseValidator {
  readonly #doc: OpenApiDocument
  readonly #ajv: Ajv2020
  readonly #compiled = new Map<string, ValidateFunction>()

  constructor(doc: OpenApiDocument) {
    this.#doc = structuredClone(doc)
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
    addFormats(this.#ajv)
    this.#ajv.addSchema(this.#doc as object, 'openapi.json')
  }

  /** The documented path template an actual path matches (`/api/v1/claims/7/` -> `/api/v1/claims/{id}/`). */
  template(path: string): string {
    const clean = path.split('?')[0] ?? path
    const withSlash = clean.endsWith('/') ? clean : `${clean}/`
    const templates = Object.keys(this.#doc.paths ?? {})
    const exact = templates.find((t) => t === withSlash)
    if (exact) return exact
    const match = templates.find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(withSlash))
    if (!match) throw new Error(`No documented path matches ${path}`)
    return match
  }

  /**
   * The errors of `body` against the schema documented for (method, path, status),
   * or [] when it conforms. Throws when the status or its JSON body is not documented.
   */
  errors(method: string, path: string, status: number, body: unknown, contentType = 'application/json'): string[] {
    const template = this.template(path)
    const operation = (this.#doc.paths?.[template] as Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }> | undefined)?.[
      method.toLowerCase()
    ]
    if (!operation) throw new Error(`${method} ${template} is not documented`)
    const response = operation.responses?.[String(status)]
    if (!response) throw new Error(`${method} ${template} does not document status ${status}`)
    const mediaType = Object.keys(response.content ?? {}).find((m) => contentType.startsWith(m))
    if (!mediaType) throw new Error(`${method} ${template} ${status} does not document ${contentType}`)
    const ref = `openapi.json#/${pointer('paths', template, method.toLowerCase(), 'responses', String(status), 'content', mediaType, 'schema')}`
    let validate = this.#compiled.get(ref)
    if (!validate) {
      validate = this.#ajv.compile({ $ref: ref })
      this.#compiled.set(ref, validate)
    }
    if (validate(body)) return []
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
  }
}
