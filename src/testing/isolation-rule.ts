/**
 * The rules {@link checkTenantIsolation} checks, each named in the failures it reports:
 *
 * - `table`: the table exists in the library's schema;
 * - `tenant-column`: the tenant column exists, is `bigint` and `NOT NULL`;
 * - `rls-enabled`, `rls-forced`: row-level security is enabled, and forced (else the table's
 *   owner, and every role that can become it, reads every tenant's rows);
 * - `policy`: a policy for every command that applies to the runtime role compares the tenant
 *   column with the tenant setting (`upstream.customer_id`) in `USING` and `WITH CHECK`;
 * - `permissive-policy`: no other permissive policy lets the runtime role through without
 *   the tenant setting (policies are OR-ed: one `USING (true)` opens the table);
 * - `runtime-role`: the runtime role cannot bypass row-level security (not a superuser, no
 *   `BYPASSRLS`, not the table's owner nor a member of it);
 * - `key`: every primary key, unique constraint and unique index starts with the tenant column;
 * - `foreign-key`: every foreign key starts with the tenant column (a row can only point at
 *   its own tenant's rows);
 * - `tenant-index`: an index starts with the tenant column;
 * - `probe`: the active probe could run (the sample rows could be written as tenant A);
 * - `probe-read`: rows written as tenant A are invisible to tenant B;
 * - `probe-write`: tenant A can neither insert a row with B's id nor move its rows to B.
 *
 * @example
 * ```ts
 * const forced = report.failures.filter((f) => f.rule === 'rls-forced')
 * ```
 */
export type IsolationRule =
  | 'table'
  | 'tenant-column'
  | 'rls-enabled'
  | 'rls-forced'
  | 'policy'
  | 'permissive-policy'
  | 'runtime-role'
  | 'key'
  | 'foreign-key'
  | 'tenant-index'
  | 'probe'
  | 'probe-read'
  | 'probe-write'

/**
 * One broken rule of one table.
 *
 * @example
 * ```ts
 * const failure: IsolationFailure = { table: 'products', rule: 'rls-forced', message: 'products [rls-forced]: ...' }
 * ```
 */
export interface IsolationFailure {
  /** The table, as named. */
  readonly table: string
  /** The rule it breaks. */
  readonly rule: IsolationRule
  /** What is wrong and what to do, starting with `<table> [<rule>]:`. */
  readonly message: string
}

/**
 * What {@link checkTenantIsolation} found.
 *
 * @example
 * ```ts
 * const report: IsolationReport = await checkTenantIsolation(upstream, ['products'])
 * report.failures.length // 0
 * ```
 */
export interface IsolationReport {
  /** Every broken rule, table by table, in the order the tables were named. */
  readonly failures: readonly IsolationFailure[]
  /** The tables whose catalog was checked. */
  readonly checked: readonly string[]
  /** The tables the active probe ran on (those given a `sample`). */
  readonly probed: readonly string[]
}
