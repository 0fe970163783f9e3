// The ceilings Emporium is measured against: the least a Fastify route can do for the same reply.
// Runs as its own process (bench/servers.ts starts it) and prints "ready" once it listens.
//   static: GET /v1/products returns BODY_FILE's bytes with CONTENT_TYPE, nothing else.
//   pg:     GET /v1/products runs STATEMENTS_FILE's statements, in order, on a `pg` pool.
import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'

interface Statement {
  sql: string
  parameters: unknown[]
}

function env(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`ceiling-server: ${name} is not set`)
  return value
}

function staticRoute(app: FastifyInstance): void {
  const body = readFileSync(env('BODY_FILE'))
  const contentType = env('CONTENT_TYPE')
  app.get('/v1/products', (_request, reply) => {
    void reply.type(contentType).send(body)
  })
}

function pgRoute(app: FastifyInstance): void {
  const statements = JSON.parse(readFileSync(env('STATEMENTS_FILE'), 'utf8')) as Statement[]
  const pool = new pg.Pool({
    connectionString: env('DATABASE_URL'),
    max: Number(env('POOL_SIZE')),
  })
  app.addHook('onClose', () => pool.end())
  app.get('/v1/products', async () => {
    const results: unknown[][] = []
    for (const s of statements) results.push((await pool.query(s.sql, s.parameters)).rows)
    return results
  })
}

async function main(kind: string | undefined): Promise<void> {
  const app = Fastify({ logger: false })
  if (kind === 'static') staticRoute(app)
  else if (kind === 'pg') pgRoute(app)
  else throw new Error(`ceiling-server: unknown kind "${kind}" (static or pg)`)
  await app.listen({ port: Number(env('PORT')), host: '127.0.0.1' })
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
  console.log('ready')
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
