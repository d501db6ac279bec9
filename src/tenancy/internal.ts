/**
 * The library's own door into this folder, for other folders of the library: names they
 * need that are not public API. Never a package subpath; apps import `index.ts`.
 *
 * @internal
 */
export { tenantReadOptions, readFailure } from './tenant-read.js'
export { authenticatedRead, canAuthenticateInRead, snapshotDataVersion } from './authenticated-read.js'
