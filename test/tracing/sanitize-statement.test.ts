import { describe, expect, it } from 'vitest'
import { databaseSpanAttributes, sanitizeStatement, statementOperation } from '../../src/tracing/index.js'

describe('sanitizeStatement (db.query.text)', () => {
  it.each([
    [`select set_config('upstream.customer_id', '7', true)`, 'select set_config(?, ?, true)'],
    [`select 'it''s', E'a\\'b', $$dollar 'quoted'$$, $tag$x$tag$ from t`, 'select ?, ?, ?, ? from t'],
    ['select * from t where a = 42 and b = 3.5 and c = 1e3 limit 50 offset 100', 'select * from t where a = ? and b = ? and c = ? limit ? offset ?'],
    ['select * from "t_1a2b"."claim_records" where "customer_id" = $1 and amount::numeric(12,2) > $2', 'select * from "t_1a2b"."claim_records" where "customer_id" = $1 and amount::numeric(?,?) > $2'],
    ['select col1, t2.x9 from tab_3 as t2', 'select col1, t2.x9 from tab_3 as t2'],
    [`select "it's ""quoted"" 7" from t`, `select "it's ""quoted"" 7" from t`],
  ])('%s', (text, expected) => {
    expect(sanitizeStatement(text)).toBe(expected)
  })
})

describe('statementOperation (db.operation.name and the span name)', () => {
  it.each([
    ['select 1', 'SELECT'],
    ['  INSERT into t values ($1)', 'INSERT'],
    ['start transaction isolation level serializable read write; select set_config(...)', 'START TRANSACTION'],
    ['/* upstream ingest upload=3 */ copy pg_temp.s from stdin', 'COPY'],
    ['-- note\n(select 1) union (select 2)', 'SELECT'],
    ['', 'SQL'],
  ])('%j -> %s', (text, expected) => {
    expect(statementOperation(text)).toBe(expected)
  })
})

describe('databaseSpanAttributes', () => {
  it('reads the database and server of a URL, never its credentials', () => {
    const attributes = databaseSpanAttributes('postgres://app:secret@db.internal:6432/claims?sslmode=require')
    expect(attributes).toEqual({ 'db.system': 'postgresql', 'db.system.name': 'postgresql', 'db.namespace': 'claims', 'server.address': 'db.internal', 'server.port': 6432 })
    expect(JSON.stringify(attributes)).not.toMatch(/secret|app/)
    expect(databaseSpanAttributes('postgres://db/x')['server.port']).toBe(5432)
  })

  it('gives only the system for what is not a URL, and reads a client\'s fields', () => {
    expect(databaseSpanAttributes('host=/var/run/postgresql dbname=x')).toEqual({ 'db.system': 'postgresql', 'db.system.name': 'postgresql' })
    expect(databaseSpanAttributes({ database: 'test', host: '127.0.0.1', port: 5433 })).toMatchObject({ 'db.namespace': 'test', 'server.port': 5433 })
  })
})
