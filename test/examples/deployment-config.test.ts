import { describe, expect, it } from 'vitest'
import { DeploymentConfigError, applicationDatabaseOptions, readDeploymentConfig } from '../../examples/shared/deployment-config.js'

function failure(env: NodeJS.ProcessEnv): DeploymentConfigError {
  try {
    readDeploymentConfig(env)
  } catch (error) {
    if (error instanceof DeploymentConfigError) return error
    throw error
  }
  throw new Error('expected a DeploymentConfigError')
}

describe('readDeploymentConfig', () => {
  it('has defaults for everything (the embedded demo)', () => {
    expect(readDeploymentConfig({})).toEqual({
      databaseUrl: undefined,
      migrationUrl: undefined,
      replicaUrls: [],
      poolSize: undefined,
      redisUrl: undefined,
      redisPrefix: 'upstream:',
      cursorSecrets: [],
      publicBaseUrl: undefined,
    })
  })

  it('reads every variable; the migration URL defaults to DATABASE_URL; empty is unset', () => {
    const config = readDeploymentConfig({
      DATABASE_URL: 'postgres://app:pw@pgbouncer:6432/claims',
      DATABASE_MIGRATION_URL: '',
      DATABASE_REPLICA_URLS: ' postgresql://app@replica-1/claims , postgres://app@replica-2/claims ',
      DATABASE_POOL_SIZE: '25',
      REDIS_URL: 'rediss://cache:6380/2',
      UPSTREAM_REDIS_PREFIX: 'billing-prod:',
      UPSTREAM_CURSOR_SECRET: 'new-secret-0123456789abcdef,old-secret-0123456789abcdef',
      PUBLIC_BASE_URL: 'https://api.example.com',
    })
    expect(config).toEqual({
      databaseUrl: 'postgres://app:pw@pgbouncer:6432/claims',
      migrationUrl: 'postgres://app:pw@pgbouncer:6432/claims',
      replicaUrls: ['postgresql://app@replica-1/claims', 'postgres://app@replica-2/claims'],
      poolSize: 25,
      redisUrl: 'rediss://cache:6380/2',
      redisPrefix: 'billing-prod:',
      cursorSecrets: ['new-secret-0123456789abcdef', 'old-secret-0123456789abcdef'],
      publicBaseUrl: 'https://api.example.com',
    })
    expect(Object.isFrozen(config)).toBe(true)
    expect(readDeploymentConfig({ DATABASE_URL: 'postgres://pgbouncer/db', DATABASE_MIGRATION_URL: 'postgres://direct/db' }).migrationUrl).toBe('postgres://direct/db')
  })

  it.each([
    [{ DATABASE_URL: 'mysql://db/claims' }, 'DATABASE_URL', /PostgreSQL URL/],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /PostgreSQL URL/],
    [{ DATABASE_URL: 'postgres://db/a', DATABASE_MIGRATION_URL: 'http://db/a' }, 'DATABASE_MIGRATION_URL', /PostgreSQL URL/],
    [{ DATABASE_MIGRATION_URL: 'postgres://direct/a' }, 'DATABASE_MIGRATION_URL', /needs DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://db/a', DATABASE_REPLICA_URLS: 'postgres://r1/a,,postgres://r2/a' }, 'DATABASE_REPLICA_URLS', /empty entry.*\(entry 2\)/],
    [{ DATABASE_URL: 'postgres://db/a', DATABASE_REPLICA_URLS: 'postgres://r1/a,redis://r2' }, 'DATABASE_REPLICA_URLS', /PostgreSQL URL \(.*\) \(entry 2\)/],
    [{ DATABASE_REPLICA_URLS: 'postgres://r1/a' }, 'DATABASE_REPLICA_URLS', /needs DATABASE_URL/],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE', /at least 1/],
    [{ DATABASE_POOL_SIZE: '-3' }, 'DATABASE_POOL_SIZE', /whole number/],
    [{ DATABASE_POOL_SIZE: '2.5' }, 'DATABASE_POOL_SIZE', /whole number/],
    [{ DATABASE_POOL_SIZE: 'ten' }, 'DATABASE_POOL_SIZE', /whole number/],
    [{ DATABASE_POOL_SIZE: '100000' }, 'DATABASE_POOL_SIZE', /at most 1000/],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL', /Redis URL/],
    [{ UPSTREAM_REDIS_PREFIX: 'billing prod:' }, 'UPSTREAM_REDIS_PREFIX', /whitespace/],
    [{ UPSTREAM_REDIS_PREFIX: 'x'.repeat(201) }, 'UPSTREAM_REDIS_PREFIX', /at most 200/],
    [{ UPSTREAM_CURSOR_SECRET: 'new-secret-0123456789abcdef,short' }, 'UPSTREAM_CURSOR_SECRET', /shorter than 16 bytes \(entry 2\)/],
    [{ UPSTREAM_CURSOR_SECRET: 'new-secret-0123456789abcdef,' }, 'UPSTREAM_CURSOR_SECRET', /empty entry/],
    [{ PUBLIC_BASE_URL: 'api.example.com' }, 'PUBLIC_BASE_URL', /http\(s\) origin/],
    [{ PUBLIC_BASE_URL: 'https://api.example.com/v1/' }, 'PUBLIC_BASE_URL', /no path/],
    [{ PUBLIC_BASE_URL: 'ftp://api.example.com' }, 'PUBLIC_BASE_URL', /http\(s\) origin/],
  ] as const)('%j -> DeploymentConfigError naming %s', (env, variable, message) => {
    const error = failure(env)
    expect(error.variable).toBe(variable)
    expect(error.message.startsWith(`${variable}: `)).toBe(true)
    expect(error.message).toMatch(message)
  })

  it('never repeats a bad value in its message (URLs hold passwords, secrets are secret)', () => {
    expect(failure({ DATABASE_URL: 'mysql://app:hunter2-password@db/claims' }).message).not.toContain('hunter2')
    expect(failure({ UPSTREAM_CURSOR_SECRET: 'a-long-enough-secret-value,tiny-secret' }).message).not.toContain('secret-value')
    expect(failure({ UPSTREAM_CURSOR_SECRET: 'a-long-enough-secret-value,tiny-secret' }).message).not.toContain('tiny')
  })

  it('gives createDatabase the primary and the pool size', () => {
    const config = readDeploymentConfig({ DATABASE_URL: 'postgres://db/a', DATABASE_POOL_SIZE: '7' })
    expect(applicationDatabaseOptions(config, 3)).toEqual({ connectionString: 'postgres://db/a', pool: { max: 7 } })
    expect(applicationDatabaseOptions(readDeploymentConfig({ DATABASE_URL: 'postgres://db/a' }), 3)).toEqual({ connectionString: 'postgres://db/a', pool: { max: 3 } })
  })
})
