export { applyFilters, filterPredicate } from './apply-filters.js'
export { applyOrdering, reverseKeys, sortKeys } from './apply-ordering.js'
export type { SortKey } from './apply-ordering.js'
export { applySearch } from './apply-search.js'
export { inlineParameters, shiftPlaceholders } from './compiled-sql.js'
export { createMemoryCountCache, createRedisCountCache } from './count-cache.js'
export type { CachedCount, CountCache, RedisCountClient, RedisCountCacheOptions } from './count-cache.js'
export { createQueryCounter } from './create-query-counter.js'
export type { QueryCounter } from './create-query-counter.js'
export { assertCursorSecrets, cursorBinding, decodeCursor, defaultCursorSecret, encodeCursor } from './cursor-codec.js'
export type { CursorPayload, CursorSecret, CursorSecrets } from './cursor-codec.js'
export { DeepOffsetError } from './deep-offset-error.js'
export { defineListSpec, ListSpecDefinitionError, SEARCH_COUNT_THRESHOLD } from './define-list-spec.js'
export { describeListSpec, envelopeFor } from './describe-list-spec.js'
export { escapeLike } from './escape-like.js'
export { filter } from './filter-field.js'
export type { FilterField, FilterOptions } from './filter-field.js'
export { dateValue, decimalValue, filterDocSchema, filterValueSchema, MAX_TEXT_LENGTH, timestampValue } from './filter-value-schema.js'
export type { FilterScalar } from './filter-value-schema.js'
export { InvalidCursorError } from './invalid-cursor-error.js'
export { InvalidPageError } from './invalid-page-error.js'
export { applyKeyset, keysetPredicate } from './keyset-predicate.js'
export type { KeysetValues } from './keyset-predicate.js'
export type { CountedPage, CursorPage, ListPage } from './list-page.js'
export { isListQuery } from './list-query.js'
export type { FilterCondition, ListParams, ListParamValue, ListQuery, OrderingTerm, PageRequest } from './list-query.js'
export type { ColumnOf, ListSpec, ListSpecConfig, ListSpecSettings, OrderingTermSpec } from './list-spec.js'
export { LOOKUPS, PAGINATION_STYLES } from './list-spec-description.js'
export type {
  CountStrategy,
  EnvelopeDescription,
  EnvelopeKey,
  FilterValueType,
  ListParameterDescription,
  ListParameterKind,
  ListSpecDescription,
  Lookup,
  PaginationStyle,
} from './list-spec-description.js'
export type { OrderingField } from './ordering-field.js'
export { pageUrl } from './page-url.js'
export { CONTROL_PARAMS, orderingTerms, paramsToMap, parseListParams } from './parse-list-params.js'
export type { QueryPiece } from './query-piece.js'
export { listCursorBinding, runList } from './run-list.js'
export { dataVersionExpression, runTenantList, tenantScopeKey } from './run-tenant-list.js'
export type { ListOptions } from './tenant-list-options.js'
export type { RunListOptions } from './run-list.js'
export { parseSearchField, splitSearchTerms } from './search-field.js'
export type { SearchField, SearchFieldSpec, SearchMode } from './search-field.js'
export { DEFAULT_EXPORT_BATCH_SIZE, exportList, parseExportParams } from './export-list.js'
export type { ExportListOptions } from './export-list.js'
export { EXPORT_PAGING_PARAMS } from './export-paging-error.js'
export { exportTenantList } from './export-tenant-list.js'
export type { TenantExportOptions } from './export-tenant-list.js'
