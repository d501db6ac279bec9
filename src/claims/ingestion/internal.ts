/**
 * The library's own door into this folder, for other folders of the library (the claims
 * jobs): the load step of an upload and its stored body. Never a package subpath; apps
 * import `index.ts`.
 *
 * @internal
 */
export { checkFilename, isFileFailure, limitedChunks, loadUpload, positiveInt, recordFailure, RowErrors } from './load-upload.js'
export { deleteStoredUploadBody, readStoredUploadBody, storeUploadBody } from './upload-body-store.js'
export { markUploadFailed } from './upload-transitions.js'
export { openByteSource } from './upload-body.js'
export { sniffUploadBytes } from './utf8-text-check.js'
