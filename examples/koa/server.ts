import { startServer } from '../shared/start-server.js'
import { createApp } from './create-app.js'

// `npm run example:koa`: PORT (default 3000); the deployment variables of the README's table
// (DATABASE_URL, else embedded PostgreSQL (PGlite); DATABASE_MIGRATION_URL, DATABASE_POOL_SIZE, REDIS_URL...);
// UPSTREAM_SCHEMA; THROTTLE_CAPACITY + THROTTLE_REFILL_PER_SECOND (+ REDIS_URL, THROTTLE_FAIL_MODE); MAX_UPLOAD_BYTES;
// PUBLIC_BASE_URL, ALLOWED_HOSTS; METRICS_PORT + METRICS_HOST; LOG_LEVEL (see examples/shared/start-server.ts).
await startServer(({ upstream, logger, metrics, http }) => createApp({ upstream, logger, metrics, http }).callback(), { name: 'koa' })
