import { createHash } from 'node:crypto'
import type pg from 'pg'

/**
 * Named (prepared) statements for Kysely's queries on PostgreSQL. Kysely sends every statement
 * unnamed, so the server parses and plans each one again: in a checkout under load, parse and bind
 * (where an unnamed statement is planned) were 47 % of the statements' logged server time (ADR
 * 0014). Here a connection prepares a statement the first time it runs it, under a name derived
 * from its text, and later runs only bind and execute; PostgreSQL then also caches its plan.
 *
 * Left unnamed: statements that are not select/insert/update/delete/with, statements whose result
 * columns follow the table (`select *`, `returning *`, `t.*`: a migration adding a column would
 * make the cached statement fail with "cached plan must not change result type"), calls without
 * a values array (the simple protocol, which multi-statement scripts need), and any statement past
 * `max` distinct ones on a connection (texts that vary, such as `in ($1, $2, …)` lists).
 * Behind PgBouncer in transaction mode (before 1.21) set DATABASE_PREPARED_STATEMENTS=false.
 */

/** Distinct statements a connection prepares at most; later new ones run unnamed. */
export const MAX_PREPARED_PER_CONNECTION = 500

const DML = /^\s*(?:select|insert|update|delete|with)\b/i
const WILDCARD = /\b(?:select|returning)\s+(?:distinct\s+)?\*|\.\*/i

export function preparable(text: string): boolean {
  return DML.test(text) && !WILDCARD.test(text)
}

const names = new Map<string, string>()
/** A name for the statement's text, the same in every process (96 bits of its SHA-1). */
export function statementName(text: string): string {
  let name = names.get(text)
  if (name === undefined) {
    name = `k${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`
    if (names.size >= 10_000) names.clear()
    names.set(text, name)
  }
  return name
}

type Query = (...args: unknown[]) => unknown

/** Makes `client` run its preparable statements as named ones (call once per connection). */
export function prepareStatements(client: pg.ClientBase, max = MAX_PREPARED_PER_CONNECTION): void {
  const prepared = new Set<string>()
  // The class's query, looked up at each call: what observes pg.Client.prototype sees these too.
  const proto = Object.getPrototypeOf(client) as { query: Query }
  const query: Query = (...args) => proto.query.apply(client, args)
  const named: Query = (first, values, ...rest) => {
    if (typeof first === 'string' && Array.isArray(values) && preparable(first)) {
      const name = statementName(first)
      if (prepared.has(name) || prepared.size < max) {
        prepared.add(name)
        return query({ name, text: first, values }, ...rest)
      }
    }
    return query(first, values, ...rest)
  }
  client.query = named as typeof client.query
}
