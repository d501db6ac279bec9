import { setTimeout as sleep } from 'node:timers/promises'
import type pg from 'pg'

/** The pg_stat_activity row of one backend (what the report prints before and after a cancel). */
export interface BackendActivity {
  readonly pid: number
  readonly state: string | null
  readonly wait_event: string | null
  readonly query: string | null
  readonly query_ms: number | null
}

/** The activity of backend `pid` (undefined when it is gone). */
export async function activityOf(admin: pg.Client, pid: number): Promise<BackendActivity | undefined> {
  const { rows } = await admin.query<BackendActivity>(
    `select pid, state, wait_event, left(query, 120) as query,
            round(extract(epoch from (clock_timestamp() - query_start)) * 1000)::int as query_ms
       from pg_stat_activity where pid = $1`,
    [pid],
  )
  return rows[0]
}

/** Pids of backends actively running a query that contains `marker`. */
export async function activePids(admin: pg.Client, marker: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    "select pid from pg_stat_activity where state = 'active' and query like $1 and pid <> pg_backend_pid()",
    [`%${marker}%`],
  )
  return rows.map((r) => r.pid)
}

/** Waits until exactly one backend actively runs a query containing `marker`; returns its pid. */
export async function waitForActive(admin: pg.Client, marker: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const pids = await activePids(admin, marker)
    if (pids.length === 1) return pids[0]!
    if (Date.now() > deadline) throw new Error(`no single active backend runs ${marker} (found ${pids.length})`)
    await sleep(10)
  }
}

/** Waits until no backend runs a query containing `marker`; returns the ms it took (or throws past `timeoutMs`). */
export async function waitUntilGone(admin: pg.Client, marker: string, timeoutMs = 1000): Promise<number> {
  const t0 = performance.now()
  for (;;) {
    if ((await activePids(admin, marker)).length === 0) return performance.now() - t0
    if (performance.now() - t0 > timeoutMs) throw new Error(`a backend still runs ${marker} after ${timeoutMs} ms`)
    await sleep(10)
  }
}

/** Waits until backend `pid` is in `state` (throws past `timeoutMs`); returns its activity then. */
export async function waitForState(admin: pg.Client, pid: number, state: string, timeoutMs = 1000): Promise<BackendActivity> {
  const t0 = performance.now()
  for (;;) {
    const activity = await activityOf(admin, pid)
    if (activity?.state === state) return activity
    if (performance.now() - t0 > timeoutMs) throw new Error(`backend ${pid} is ${activity?.state ?? 'gone'}, not ${state}, after ${timeoutMs} ms`)
    await sleep(10)
  }
}
