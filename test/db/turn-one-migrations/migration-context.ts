/**
 * What every migration needs to know: where to create objects and which role to grant.
 * {@link migrateToLatest} takes both from the {@link UpstreamDatabase}.
 *
 * @example
 * ```ts
 * const ctx: MigrationContext = { schema: upstream.schema, runtimeRole: upstream.runtimeRole }
 * const provider = new UpstreamMigrationProvider(ctx)
 * ```
 */
export interface MigrationContext {
  /** The PostgreSQL schema of every table. */
  readonly schema: string
  /** The non-owner role that row-level security applies to. */
  readonly runtimeRole: string
}
