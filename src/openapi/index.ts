export { buildOpenApiDocument } from './build-openapi-document.js'
export type { BuildOpenApiDocumentOptions } from './build-openapi-document.js'
export { upstreamOpenApiFragment } from '../claims/openapi/claims-openapi-fragment.js'
export type { OpenApiDocument, OpenApiFragment } from '../claims/openapi/claims-openapi-fragment.js'
export { registerUpstreamApi } from '../claims/openapi/register-claims-api.js'
export type { UpstreamOpenApiOptions } from '../claims/openapi/register-claims-api.js'
export { docsPage, docsPageHeaders } from './docs-page.js'
export type { DocsPageOptions } from './docs-page.js'
export { docsAsset, DOCS_ASSET_NAMES } from './docs-asset.js'
export type { DocsAsset } from './docs-asset.js'
export { listQuerySchema } from './list-query-schema.js'
export type { ListDescription, QueryParameterDescription, PageEnvelopeKey, PageStyle } from './list-description.js'
export { listDescriptionOf } from './list-description-of.js'
export type { ListSpecDescriptionLike } from './list-description-of.js'
export { pageSchemaOf, pageSchemaName } from './page-schemas.js'
export {
  AMOUNT_PATTERN,
  AmountSchema,
  UploadSchema,
  ClaimSchema,
  DriftEventSchema,
  DriftReportSchema,
  DriftReportDetailSchema,
  UploadStatisticsSchema,
} from '../claims/openapi/resource-schemas.js'
export { ErrorDetailSchema, ValidationErrorBodySchema, IngestionRowErrorSchema, IngestionFailedSchema } from './error-schemas.js'
