import type { FastifyRequest } from 'fastify'
import type { MercuriusContext } from 'mercurius'
import { assertAccess, type Principal } from '../http/access.js'
import type { InputValidator } from '../http/input-validator.js'

/** Runs a money-moving mutation once per idempotency key, with the REST header's semantics. */
export type Once = <T>(
  operation: { name: string; key: string | null | undefined; input: unknown; secrets?: string[] },
  run: () => Promise<T>,
) => Promise<T>

/** What every resolver gets: the caller, the request it came with, and the edge's helpers. */
export interface GraphqlExtras {
  request: FastifyRequest
  /** The bearer credential's caller (HTTP header, or `authorization` in `connection_init`). */
  principal: Principal | null
  /** Guest tokens: `X-Cart-Token` / `X-Order-Token` headers, or `orderToken` in `connection_init`. */
  tokens: { cart?: string; order?: string }
  /** Whether the caller's credential still holds (long-lived subscriptions re-check it). */
  stillValid: () => Promise<boolean>
  /** Validates an argument against the TypeBox schema the REST route uses (`validation_failed`). */
  input: InputValidator
  once: Once
}

export type GraphqlContext = MercuriusContext & GraphqlExtras

/** A storefront caller: the signed-in customer, if any, and the guest token of that kind. */
export function callerOf(
  context: GraphqlContext,
  kind: 'cart' | 'order',
): { customerId: string | null; token: string | undefined } {
  return { customerId: context.principal?.subject ?? null, token: context.tokens[kind] }
}

/** The caller when it holds `permission` (or is signed in at all); else the REST route's error. */
export function requirePermission(context: GraphqlContext, permission: string): Principal {
  assertAccess(context.principal, { permission })
  return context.principal!
}

export function requireSignedIn(context: GraphqlContext): Principal {
  assertAccess(context.principal, 'authenticated')
  return context.principal!
}
