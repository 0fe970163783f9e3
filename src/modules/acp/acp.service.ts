import { isAppError } from '../../platform/errors.js'
import { newId } from '../../shared/ids.js'
import type { CartCaller } from '../carts/index.js'
import type { Order } from '../orders/index.js'
import { syncAddress, syncItems, syncShipping, type SessionCarts } from './acp.cart-sync.js'
import { AcpErrors } from './acp.errors.js'
import {
  cartMessages,
  error,
  sessionStatus,
  toCheckoutSession,
  type SessionContext,
  type SessionView,
} from './acp.mappers.js'
import * as repo from './acp.repo.js'
import type { AcpDb, CheckoutSessionRow } from './acp.repo.js'
import type {
  CompleteSessionRequest,
  CreateSessionRequest,
  UpdateSessionRequest,
} from './acp.requests.js'
import { specViolation } from './acp.spec.js'
import type { StoredMessage } from './acp.tables.js'

/** What the checkout flow takes (the body of `POST /v1/carts/:id/checkout`). */
export interface CheckoutInput {
  email: string
  shippingAddress: {
    name: string
    line1: string
    line2?: string
    city: string
    postalCode: string
    country: string
  }
  payment: { method: 'card'; token: string }
}

/** The checkout flow, as this module drives it: the same saga as `POST /v1/carts/:id/checkout`. */
export interface CheckoutDoor {
  checkout(caller: CartCaller, cartId: string, input: CheckoutInput): Promise<{ order: Order }>
}

export interface AcpSessionDeps {
  db: AcpDb
  carts: SessionCarts
  checkout: CheckoutDoor
  orders: { ownerView(orderId: string): Promise<Order> }
  context: SessionContext
}

type Json = Record<string, unknown>

/** The body as the named schema of the spec, or a 400 naming the first field at fault. */
function conforming<T>(schema: string, body: unknown): T {
  const violation = specViolation(schema, body ?? {})
  if (violation) throw AcpErrors.invalidRequest(violation.param, violation.message)
  return body as T
}

/** What the checkout flow takes, from a session ready for payment: else 400 naming what is missing. */
function checkoutInput(
  row: CheckoutSessionRow,
  view: SessionView,
  input: CompleteSessionRequest,
): CheckoutInput {
  const { instrument, handler_id: handler } = input.payment_data
  if (!instrument || handler !== 'card')
    throw AcpErrors.invalidRequest('$.payment_data.handler_id', 'must be "card" with an instrument')
  const email = input.buyer?.email ?? row.buyer?.email ?? row.fulfillment_details?.email
  if (typeof email !== 'string')
    throw AcpErrors.notReady('$.buyer.email', 'A buyer email is needed to order.')
  const address = view.cart.shippingAddress
  if (sessionStatus(view) !== 'ready_for_payment' || !address?.name || !address.line1) {
    const first = view.messages.find((m) => m.code !== 'payment_declined')
    const param = typeof first?.param === 'string' ? first.param : '$.fulfillment_details'
    throw AcpErrors.notReady(param, first?.content ?? 'A served shipping address is needed.')
  }
  return {
    email,
    shippingAddress: {
      name: address.name,
      line1: address.line1,
      ...(address.line2 ? { line2: address.line2 } : {}),
      city: address.city ?? '',
      postalCode: address.postalCode ?? '',
      country: address.country,
    },
    payment: { method: 'card', token: instrument.credential.token },
  }
}

/** Replaces the stored messages about one part of the request (`$.line_items`, …). */
function replacing(stored: StoredMessage[], prefix: string, fresh: StoredMessage[]) {
  return [...stored.filter((m) => !m.param.startsWith(prefix)), ...fresh]
}

export function createAcpSessionService(deps: AcpSessionDeps) {
  const { db, carts, context } = deps
  const callerOf = (row: CheckoutSessionRow): CartCaller => ({
    customerId: null,
    token: row.cart_token,
  })

  async function viewOf(row: CheckoutSessionRow): Promise<SessionView> {
    const caller = callerOf(row)
    const cart = await carts.getCart(caller, row.cart_id)
    const { data: methods } = await carts.shippingMethods(caller, row.cart_id)
    const order = row.order_id ? await deps.orders.ownerView(row.order_id) : null
    const stored = row.messages.map((m) => error(m.code, m.param, m.content))
    const messages = row.status === 'open' ? [...stored, ...cartMessages(cart)] : []
    return { row, cart, methods, messages, order }
  }

  const answer = async (row: CheckoutSessionRow) => toCheckoutSession(await viewOf(row), context)

  async function openSession(apiKeyId: string, id: string): Promise<CheckoutSessionRow> {
    const row = await repo.findSession(db, id, apiKeyId)
    if (!row) throw AcpErrors.sessionNotFound(id)
    if (row.status !== 'open') throw AcpErrors.notModifiable(id, row.status)
    return row
  }

  async function saved(id: string, change: repo.SessionChange, status: string) {
    const row = await repo.updateOpenSession(db, id, change)
    if (!row) throw AcpErrors.notModifiable(id, status)
    return row
  }

  /**
   * Checks out the session's cart with the request's card token: the checkout flow's own order.
   * A declined card leaves a `payment_declined` message on the session (the cart is reopened).
   */
  async function placeOrder(
    row: CheckoutSessionRow,
    view: SessionView,
    input: CompleteSessionRequest,
  ): Promise<Order> {
    const order = checkoutInput(row, view, input)
    try {
      return (await deps.checkout.checkout(callerOf(row), row.cart_id, order)).order
    } catch (failure) {
      if (isAppError(failure) && failure.code === 'payment_declined') {
        const declined = {
          code: 'payment_declined' as const,
          param: '$.payment_data',
          content: failure.message,
        }
        const messages = replacing(row.messages, '$.payment_data', [declined])
        await repo.updateOpenSession(db, row.id, { messages })
      }
      throw failure
    }
  }

  return {
    async create(apiKeyId: string, body: unknown): Promise<Json> {
      const input = conforming<CreateSessionRequest>('CheckoutSessionCreateRequest', body)
      const cart = await carts.createCart(null, input.currency.toUpperCase())
      const caller: CartCaller = { customerId: null, token: cart.token ?? undefined }
      const messages = await syncItems(carts, caller, cart.id, input.line_items)
      const address = input.fulfillment_details?.address
      if (address) {
        messages.push(...(await syncAddress(carts, caller, cart.id, address)))
        await syncShipping(carts, caller, cart.id, undefined)
      }
      const row = await repo.insertSession(db, {
        id: newId('cs'),
        apiKeyId,
        cartId: cart.id,
        cartToken: cart.token!,
        buyer: input.buyer ?? null,
        fulfillmentDetails: (input.fulfillment_details as Json | undefined) ?? null,
        messages,
      })
      return answer(row)
    },

    async get(apiKeyId: string, id: string): Promise<Json> {
      const row = await repo.findSession(db, id, apiKeyId)
      if (!row) throw AcpErrors.sessionNotFound(id)
      return answer(row)
    },

    async update(apiKeyId: string, id: string, body: unknown): Promise<Json> {
      const input = conforming<UpdateSessionRequest>('CheckoutSessionUpdateRequest', body)
      const row = await openSession(apiKeyId, id)
      const caller = callerOf(row)
      let messages = replacing(row.messages, '$.payment_data', [])
      if (input.line_items) {
        const found = await syncItems(carts, caller, row.cart_id, input.line_items)
        messages = replacing(messages, '$.line_items', found)
      }
      if (input.fulfillment_details) {
        const address = input.fulfillment_details.address
        const found = await syncAddress(carts, caller, row.cart_id, address)
        messages = replacing(messages, '$.fulfillment_details', found)
      }
      const shipping = input.selected_fulfillment_options?.find((o) => o.type === 'shipping')
      const found = await syncShipping(carts, caller, row.cart_id, shipping?.option_id)
      messages = replacing(messages, '$.selected_fulfillment_options', found)
      const change: repo.SessionChange = {
        messages,
        ...(input.buyer ? { buyer: input.buyer } : {}),
        ...(input.fulfillment_details
          ? { fulfillmentDetails: input.fulfillment_details as Json }
          : {}),
      }
      return answer(await saved(id, change, 'closed'))
    },

    async complete(apiKeyId: string, id: string, body: unknown): Promise<Json> {
      const input = conforming<CompleteSessionRequest>('CheckoutSessionCompleteRequest', body)
      const row = await openSession(apiKeyId, id)
      const order = await placeOrder(row, await viewOf(row), input)
      const buyer = input.buyer ?? row.buyer
      const change = {
        status: 'completed' as const,
        orderId: order.id,
        ...(buyer ? { buyer } : {}),
      }
      return answer(await saved(id, change, 'completed'))
    },

    async cancel(apiKeyId: string, id: string, body: unknown): Promise<Json> {
      conforming('CancelSessionRequest', body)
      await openSession(apiKeyId, id)
      return answer(await saved(id, { status: 'canceled' }, 'canceled'))
    },
  }
}

export type AcpSessionService = ReturnType<typeof createAcpSessionService>
