// Internal door of the transactions folder: for other folders of the library, not the package.
export { withAbortGuard } from './abort-guard.js'
export type { AbortGuard } from './abort-guard.js'
