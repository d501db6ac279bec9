import { runClientExample } from './client-example.js'
import { createUpstreamClient } from './upstream-client.js'

// `npm run example:client`: UPSTREAM_URL (default http://localhost:3000) and UPSTREAM_TOKEN
// (a read-and-write key, as `npm run seed` or `npm run demo` prints) of a running example server.
const token = process.env.UPSTREAM_TOKEN
if (!token) {
  console.error('UPSTREAM_TOKEN is not set: start a server (npm run demo) and use a token it prints.')
  process.exit(2)
}
const client = createUpstreamClient({ baseUrl: process.env.UPSTREAM_URL ?? 'http://localhost:3000', token })
await runClientExample(client, (line) => console.log(line))
