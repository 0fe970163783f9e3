import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface ThrowawayDatabase {
  url: string
  drop(): Promise<void>
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

/** A database of the bench's own on the server ADMIN_URL names, dropped (forced) afterwards. */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `emporium_bench_${randomBytes(6).toString('hex')}`
  await withAdmin((c) => c.query(`create database ${name}`))
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () =>
      withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  }
}

export async function serverVersion(): Promise<string> {
  return withAdmin(async (c) => {
    const { rows } = await c.query<{ server_version: string }>('show server_version')
    return rows[0]?.server_version ?? 'unknown'
  })
}
