import { hkdfSync } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { createSecretBox, sha256 } from '../crypto.js'

/**
 * Whose key it is, and what seals the secrets of its stored reply.
 *
 * - `scope`: `sub:<user id>` (access token), `key:<API key id>`, `guest:<SHA-256 of the
 *   X-Cart-Token / X-Order-Token sent>`, or `anonymous` (no credential at all).
 * - `material`: what only this caller brings with each request (the API key, the guest token) or,
 *   for an access token, whose credential rotates, the server's key. Null when there is neither:
 *   such a caller's replies that carry a secret are never stored.
 */
export interface CallerBinding {
  scope: string
  material: Buffer | null
}

/** The guest credentials a request may carry; a reply to a guest is bound to them. */
const GUEST_TOKEN_HEADERS = ['x-cart-token', 'x-order-token'] as const

function bearerCredential(request: FastifyRequest): string | undefined {
  const match = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization ?? '')
  return match?.[1]
}

/**
 * `guestTokens`, when given, are the guest credentials an operation carries in its arguments (an
 * MCP tool's `cartToken`), in place of the `X-Cart-Token` / `X-Order-Token` headers.
 */
export function callerBinding(
  request: FastifyRequest,
  serverKey: Buffer | null,
  guestTokens?: readonly string[],
): CallerBinding {
  const principal = request.principal
  if (principal?.via === 'api_key') {
    const credential = bearerCredential(request)
    return {
      scope: `key:${principal.subject}`,
      material: credential ? Buffer.from(credential) : null,
    }
  }
  if (principal) return { scope: `sub:${principal.subject}`, material: serverKey }
  const tokens = (guestTokens ?? GUEST_TOKEN_HEADERS.map((h) => request.headers[h])).filter(
    (t): t is string => typeof t === 'string' && t !== '',
  )
  if (tokens.length === 0) return { scope: 'anonymous', material: null }
  const joined = tokens.join('\n')
  return { scope: `guest:${sha256(joined)}`, material: Buffer.from(joined) }
}

/**
 * Seals and opens the secret fields of one key's stored reply. The AES key is HKDF-SHA256 of the
 * caller's material, salted with the server key when one is configured, and bound to the scope;
 * the key's route and name are the authenticated context. The database holds neither the material
 * (tokens and API keys are stored hashed) nor, for access tokens, the server key.
 */
export function replySealer(binding: CallerBinding, serverKey: Buffer | null, context: string) {
  const material = binding.material
  if (!material) return null
  const key = Buffer.from(
    hkdfSync('sha256', material, serverKey ?? Buffer.alloc(0), `idempotency|${binding.scope}`, 32),
  )
  const box = createSecretBox({
    keys: [{ id: 'idem', key: key.toString('base64') }],
    label: 'idempotency',
  })
  return {
    seal: (value: string) => box.seal(context, value),
    open: (value: string) => box.open(context, value),
  }
}

type Sealer = NonNullable<ReturnType<typeof replySealer>>

function mapSecrets(
  body: string,
  fields: readonly string[],
  map: (value: string) => string,
): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return body
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body
  const record = parsed as Record<string, unknown>
  const present = fields.filter((f) => typeof record[f] === 'string')
  if (present.length === 0) return body
  for (const field of present) record[field] = map(record[field] as string)
  return JSON.stringify(record)
}

/**
 * The body to store: the secret fields sealed. Null when the reply holds a secret and the caller
 * has nothing to seal it with (the reply is then not stored at all).
 */
export function sealSecrets(
  body: string,
  fields: readonly string[],
  sealer: Sealer | null,
): string | null {
  if (fields.length === 0) return body
  let unsealable = false
  const sealed = mapSecrets(body, fields, (value) => {
    if (sealer) return sealer.seal(value)
    unsealable = true
    return value
  })
  return unsealable ? null : sealed
}

/** The stored body with its secret fields opened again, for the caller who sealed them. */
export function openSecrets(body: string, fields: readonly string[], sealer: Sealer | null) {
  if (fields.length === 0 || !sealer) return body
  return mapSecrets(body, fields, (value) => sealer.open(value))
}
