import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import {
  claimKey,
  completeKey,
  findKey,
  pruneKeys,
  releaseKey,
  takeOverStaleKey,
  type KeyId,
  type StoredResponse,
} from '../db/idempotency.repo.js'
import { sha256 } from '../crypto.js'
import { callerBinding, openSecrets, replySealer, sealSecrets } from './idempotency-secrets.js'
import { AppError, type AppErrorInit } from '../errors.js'
import { httpStatusOf } from './problems.js'
import type { JobDefinition } from '../jobs/jobs.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false`: the route ignores `Idempotency-Key` (replies that set cookies or carry credentials
     * not worth replaying). `{ secrets }`: the top-level reply fields that hold a secret (an order
     * token, a signing secret); they are stored sealed for the caller who sent the request, and a
     * reply holding one is not stored for a caller with nothing to seal it with.
     */
    idempotency?: false | { secrets: readonly string[] }
  }
  interface FastifyRequest {
    /**
     * The validated `Idempotency-Key` of a POST that holds it, else null. No route reads it today:
     * the stored reply already makes a retry harmless, and checkout's money calls are keyed by the
     * order id instead.
     */
    idempotencyKey: string | null
  }
}

export interface IdempotencyOptions {
  db: Kysely<unknown>
  /**
   * 32 bytes (base64) that seal the secrets in replies stored for signed-in users, and salt the
   * sealing of every other caller's. Without it a user's reply that carries a secret is not stored.
   */
  sealingKey?: string
  /** How long a running attempt holds its key before a retry may take it over (its process died). */
  lockSeconds?: number
}

// Visible ASCII and inner spaces; HTTP already strips the spaces around a field value.
const VALID_KEY = /^[\x20-\x7e]{1,255}$/
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'] as const
const DEFAULT_LOCK_SECONDS = 60

export const IdempotencyErrors = {
  invalidKey: (message: string) =>
    new AppError({
      kind: 'validation',
      code: 'invalid_idempotency_key',
      title: 'Invalid Idempotency-Key',
      detail: 'Idempotency-Key must be 1 to 255 printable ASCII characters.',
      errors: [{ path: '/headers/idempotency-key', message }],
    }),
  reused: () =>
    new AppError({
      kind: 'unprocessable',
      code: 'idempotency_key_reused',
      title: 'Idempotency-Key reused',
      detail: 'This Idempotency-Key was already used with a different request.',
    }),
  inProgress: () =>
    new AppError({
      kind: 'conflict',
      code: 'idempotency_key_in_progress',
      title: 'Request in progress',
      detail: 'A request with this Idempotency-Key is still running; retry shortly.',
    }),
}

/** JSON with object keys sorted at every depth: equal bodies give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value)
}

/** SHA-256 of the method, the URL as sent (path and query) and the canonical body. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return sha256(`${method}\n${url}\n${canonicalJson(body)}`)
}

function validKey(header: string | string[] | undefined): string {
  if (typeof header !== 'string') throw IdempotencyErrors.invalidKey('must be sent once')
  if (!VALID_KEY.test(header) || header.trim() === '') {
    throw IdempotencyErrors.invalidKey('must be 1 to 255 printable ASCII characters')
  }
  return header
}

interface Claim {
  id: KeyId
  owner: string
  seal: (body: string) => string | null
}

type Sealer = ReturnType<typeof replySealer>

type Acquired = { owner: string } | { replay: StoredResponse }

/** Claims the key, or says what to answer instead: a replay, a 422 or a 409. */
async function acquire(
  db: Kysely<unknown>,
  id: KeyId,
  fingerprint: string,
  lockSeconds: number,
): Promise<Acquired> {
  // A key can vanish between the insert and the read (released after a 5xx, pruned): try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const owner = randomUUID()
    if (await claimKey(db, id, fingerprint, owner, lockSeconds)) return { owner }
    const found = await findKey(db, id)
    if (!found) continue
    if (found.fingerprint !== fingerprint) throw IdempotencyErrors.reused()
    if (found.response) return { replay: found.response }
    if (!found.locked && (await takeOverStaleKey(db, id, fingerprint, owner, lockSeconds))) {
      return { owner }
    }
    break
  }
  throw IdempotencyErrors.inProgress()
}

function replay(
  reply: FastifyReply,
  response: StoredResponse,
  open: (body: string) => string,
): FastifyReply {
  reply.code(response.status).headers(response.headers).header('idempotent-replayed', 'true')
  return response.body === null ? reply.send() : reply.send(open(response.body))
}

/**
 * What to store of a finished reply, or null to release the key instead: 5xx, 429 and 503 are
 * transient (a retry should run again); a reply setting a cookie or streamed cannot be replayed.
 */
function storable(reply: FastifyReply, payload: unknown, claim: Claim): StoredResponse | null {
  const status = reply.statusCode
  if (status >= 500 || status === 429 || reply.hasHeader('set-cookie')) return null
  if (payload !== null && payload !== undefined && typeof payload !== 'string') return null
  const body = typeof payload === 'string' ? claim.seal(payload) : null
  if (typeof payload === 'string' && body === null) return null
  const headers: Record<string, string> = {}
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name)
    if (value !== undefined) headers[name] = String(value)
  }
  return { status, headers, body }
}

async function finish(
  db: Kysely<unknown>,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<void> {
  const claim = claims.get(request)
  if (!claim) return
  claims.delete(request)
  const response = storable(reply, payload, claim)
  try {
    if (response) await completeKey(db, claim.id, claim.owner, response)
    else await releaseKey(db, claim.id, claim.owner)
  } catch (err) {
    // The reply still goes out; the key stays running until its lock expires.
    request.log.error({ err }, 'idempotency key not recorded')
  }
  if (!response && reply.statusCode < 400) {
    request.log.warn(
      { status: reply.statusCode },
      'reply cannot be replayed; idempotency key released',
    )
  }
}

const claims = new WeakMap<FastifyRequest, Claim>()

/**
 * `Idempotency-Key` on every POST route (docs/api/README.md, Idempotency): the key is claimed after the access
 * control, the body parsing and the validation, right before the handler, and the first reply is
 * stored in `onSend`. Register after the cookie plugin (its `onSend` writes `Set-Cookie`).
 */
export function registerIdempotency(app: FastifyInstance, options: IdempotencyOptions): void {
  const { db } = options
  const lockSeconds = options.lockSeconds ?? DEFAULT_LOCK_SECONDS
  const serverKey = options.sealingKey ? Buffer.from(options.sealingKey, 'base64') : null
  app.decorateRequest('idempotencyKey', null)
  app.addHook('preHandler', async (request, reply) => {
    const route = request.routeOptions.url
    if (request.method !== 'POST' || !route) return
    const declared = request.routeOptions.config.idempotency
    if (declared === false) return
    const header = request.headers['idempotency-key']
    if (header === undefined) return
    const key = validKey(header)
    request.idempotencyKey = key
    const binding = callerBinding(request, serverKey)
    const id: KeyId = { scope: binding.scope, method: request.method, route, key }
    const secrets = declared?.secrets ?? []
    const sealer: Sealer =
      secrets.length > 0 ? replySealer(binding, serverKey, `${route}\n${key}`) : null
    const fingerprint = requestFingerprint(request.method, request.url, request.body)
    let acquired: Acquired
    try {
      acquired = await acquire(db, id, fingerprint, lockSeconds)
    } catch (error) {
      if (error instanceof AppError && error.kind === 'conflict') reply.header('retry-after', '1')
      throw error
    }
    if ('replay' in acquired) {
      return replay(reply, acquired.replay, (body) => openSecrets(body, secrets, sealer))
    }
    const seal = (body: string) => sealSecrets(body, secrets, sealer)
    claims.set(request, { id, owner: acquired.owner, seal })
  })
  app.addHook('onSend', async (request, reply, payload) => {
    await finish(db, request, reply, payload)
    return payload
  })
}

/**
 * One operation of a request that takes its own idempotency key (a GraphQL mutation's argument,
 * an MCP tool's).
 */
export interface KeyedOperation {
  /** Stored as the key's route: `graphql:checkout`, `graphql:refundOrder`. */
  route: string
  key: string
  /** The operation's arguments: the same key with other arguments is `idempotency_key_reused`. */
  input: unknown
  /** Top-level fields of the result that hold a secret (sealed as for REST replies). */
  secrets?: readonly string[]
  /** Guest tokens sent as arguments rather than headers: they scope the key and seal secrets. */
  guestTokens?: readonly string[]
}

/**
 * `run` once per caller and key, with the `Idempotency-Key` header's semantics for an operation
 * that is not a whole request: a repeat with the same input gets the first outcome again (its
 * result, or its domain error), a repeat with another input is 422, one that overlaps a running
 * attempt is 409. Failures that a retry may cure (5xx, 429, 503) release the key.
 */
export async function runOnce<T>(
  options: IdempotencyOptions,
  request: FastifyRequest,
  operation: KeyedOperation,
  run: () => Promise<T>,
): Promise<{ value: T; replayed: boolean }> {
  const key = validKey(operation.key)
  const serverKey = options.sealingKey ? Buffer.from(options.sealingKey, 'base64') : null
  const binding = callerBinding(request, serverKey, operation.guestTokens)
  const id: KeyId = { scope: binding.scope, method: 'GRAPHQL', route: operation.route, key }
  const secrets = operation.secrets ?? []
  const sealer: Sealer =
    secrets.length > 0 ? replySealer(binding, serverKey, `${operation.route}\n${key}`) : null
  const fingerprint = requestFingerprint('GRAPHQL', operation.route, operation.input)
  const acquired = await acquire(
    options.db,
    id,
    fingerprint,
    options.lockSeconds ?? DEFAULT_LOCK_SECONDS,
  )
  if ('replay' in acquired) {
    const { status, body } = acquired.replay
    if (status !== 200) throw new AppError(JSON.parse(body ?? '{}') as AppErrorInit)
    return { value: JSON.parse(openSecrets(body ?? 'null', secrets, sealer)) as T, replayed: true }
  }
  let outcome: StoredResponse | null = null
  try {
    const value = await run()
    const body = sealSecrets(JSON.stringify(value), secrets, sealer)
    if (body !== null) outcome = { status: 200, headers: {}, body }
    return { value, replayed: false }
  } catch (error) {
    if (error instanceof AppError) {
      const status = httpStatusOf(error.kind)
      if (status < 500 && status !== 429) {
        const { kind, code, title, detail, errors, extra } = error
        const init: AppErrorInit = { kind, code, title, detail, errors, extra }
        outcome = { status, headers: {}, body: JSON.stringify(init) }
      }
    }
    throw error
  } finally {
    if (outcome) await completeKey(options.db, id, acquired.owner, outcome)
    else await releaseKey(options.db, id, acquired.owner)
  }
}

/** The schedule that forgets keys older than the TTL (at least 24 h, the API's promise). */
export function pruneIdempotencyKeysJob(
  db: Kysely<unknown>,
  ttlHours: number,
  logger: Logger,
): JobDefinition {
  return {
    name: 'platform.prune-idempotency-keys',
    schedule: '41 * * * *',
    handler: async () => {
      const pruned = await pruneKeys(db, ttlHours)
      logger.info({ pruned }, 'pruned expired idempotency keys')
    },
  }
}
