import type { RequestListener } from 'node:http'
import type { UpstreamDatabase } from '@upstreamjs/upstream/db'
import { createHttpHandler, fromNodeRequest, writeNodeResponse, type HttpLogger } from '@upstreamjs/upstream/http'
import { forTenant } from '@upstreamjs/upstream/tenancy'
import type { ProjectsDatabase } from './database.js'
import { projectsOperations } from './operations.js'

/** Options of {@link createApp}. */
export interface ProjectsAppOptions {
  readonly upstream: UpstreamDatabase<ProjectsDatabase>
  /** Where unexpected errors go. Default: JSON lines on stderr. */
  readonly logger?: HttpLogger
}

/**
 * The projects API as a `node:http` request listener: the app's operations table under
 * `/api/v1`, bearer API keys of the tenancy core, the OpenAPI document at `/api/v1/schema/`.
 */
export function createApp(options: ProjectsAppOptions): RequestListener {
  const handle = createHttpHandler({
    upstream: options.upstream,
    operations: projectsOperations,
    tenant: forTenant,
    ...(options.logger ? { logger: options.logger } : {}),
    schema: { title: 'Projects API', version: '1.0.0', docs: false, tags: [{ name: 'projects' }, { name: 'tasks' }] },
  })
  return (req, res) => {
    void handle(fromNodeRequest(req)).then((response) => writeNodeResponse(res, response))
  }
}
