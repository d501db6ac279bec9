export { defineListSpec, ListSpecDefinitionError } from './define-list-spec.js'
export { describeListSpec, envelopeFor } from './describe-list-spec.js'
export { filter } from './filter-field.js'
export type { FilterField, FilterOptions } from './filter-field.js'
export { filterValueSchema, filterDocSchema, decimalValue, dateValue, timestampValue, MAX_TEXT_LENGTH } from './filter-value-schema.js'
export type { FilterScalar } from './filter-value-schema.js'
export { isListQuery } from './list-query.js'
export type { FilterCondition, ListParams, ListQuery, OrderingTerm, PageRequest } from './list-query.js'
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
export { CONTROL_PARAMS, orderingTerms, paramsToMap, parseListParams } from './parse-list-params.js'
export { parseSearchField, splitSearchTerms } from './search-field.js'
export type { SearchField, SearchFieldSpec, SearchMode } from './search-field.js'
