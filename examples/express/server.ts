import { startServer } from '../shared/start-server.js'
import { createApp } from './create-app.js'

// `npm run example:express`: PORT (default 3000); DATABASE_URL, else embedded PostgreSQL (PGlite);
// UPSTREAM_SCHEMA; THROTTLE_CAPACITY + THROTTLE_REFILL_PER_SECOND (+ REDIS_URL); MAX_UPLOAD_BYTES.
await startServer(({ upstream, logger, metrics, http }) => createApp({ upstream, logger, metrics, http }), { name: 'express' })
