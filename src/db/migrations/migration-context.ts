/** What every migration needs to know: where to create objects and which role to grant. */
export interface MigrationContext {
  /** The PostgreSQL schema of every table. */
  readonly schema: string
  /** The non-owner role that row-level security applies to. */
  readonly runtimeRole: string
}
