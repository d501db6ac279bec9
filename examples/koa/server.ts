import { startServer } from '../shared/start-server.js'
import { createApp } from './create-app.js'

// `npm run example:koa`: PORT (default 3000); DATABASE_URL, else embedded PostgreSQL (PGlite).
await startServer(({ upstream, logger, metrics }) => createApp({ upstream, logger, metrics }).callback(), { name: 'koa' })
