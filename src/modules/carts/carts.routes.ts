import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { principalOf, tokenCallerOf } from '../../platform/http/access.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import {
  AddItemBody,
  ApplyCouponBody,
  CartItemParams,
  CartParams,
  CartSchema,
  CartTokenHeaders,
  CreateCartBody,
  CreatedCartSchema,
  ShippingMethodList,
  UnsubscribeBody,
  UnsubscribeQuery,
  UpdateCartBody,
  UpdateItemBody,
} from './carts.schema.js'
import { ReminderErrors, type CartReminders } from './carts.reminders.js'
import type { CartCaller, CartsService } from './carts.service.js'

const TAGS = ['carts']
const SECURITY: Record<string, string[]>[] = [{ bearer: [] }, {}]

/** The caller of a cart route: the signed-in customer and the guest's `X-Cart-Token`. */
export function cartCallerOf(request: FastifyRequest): CartCaller {
  return tokenCallerOf(request, 'x-cart-token')
}

/**
 * Storefront carts. A guest cart is reached with its `X-Cart-Token`; a customer's cart with the
 * customer's bearer token. Anything else is 404, whoever asks.
 */
export function cartsRoutes(service: CartsService, reminders: CartReminders): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const open = { access: 'public' as const }

    await app.register(unsubscribeRoute(reminders))

    app.post(
      '/v1/carts',
      {
        // The reply carries the guest token: never stored for replay.
        config: { ...open, idempotency: false },
        schema: {
          tags: TAGS,
          summary: "Create a cart: the signed-in customer's, or a guest cart with its token",
          security: SECURITY,
          body: CreateCartBody,
          response: { 201: CreatedCartSchema, ...problems(401) },
        },
      },
      async (request, reply) => {
        const cart = await service.createCart(
          request.principal?.subject ?? null,
          request.body?.currency,
        )
        return reply.code(201).send(cart)
      },
    )

    app.get(
      '/v1/carts/:id',
      {
        config: open,
        schema: {
          tags: TAGS,
          summary: 'A cart with its lines and totals, priced now',
          security: SECURITY,
          params: CartParams,
          headers: CartTokenHeaders,
          response: { 200: CartSchema, ...problems(401, 404) },
        },
      },
      async (request) => service.getCart(cartCallerOf(request), request.params.id),
    )

    app.patch(
      '/v1/carts/:id',
      {
        config: open,
        schema: {
          tags: TAGS,
          summary: 'Set the email, shipping address (its country sets the tax) or shipping method',
          security: SECURITY,
          params: CartParams,
          headers: CartTokenHeaders,
          body: UpdateCartBody,
          response: { 200: CartSchema, ...problems(401, 404, 409) },
        },
      },
      async (request) => service.updateCart(cartCallerOf(request), request.params.id, request.body),
    )

    app.get(
      '/v1/carts/:id/shipping-methods',
      {
        config: open,
        schema: {
          tags: TAGS,
          summary: "Shipping methods for the cart's country and currency, priced for its subtotal",
          security: SECURITY,
          params: CartParams,
          headers: CartTokenHeaders,
          response: { 200: ShippingMethodList, ...problems(401, 404) },
        },
      },
      async (request) => service.shippingMethods(cartCallerOf(request), request.params.id),
    )

    app.post(
      '/v1/carts/:id/items',
      {
        config: open,
        schema: {
          tags: TAGS,
          summary: 'Add a variant; adding one already in the cart adds to its quantity',
          security: SECURITY,
          params: CartParams,
          headers: CartTokenHeaders,
          body: AddItemBody,
          response: { 201: CartSchema, ...problems(401, 404, 409) },
        },
      },
      async (request, reply) => {
        const cart = await service.addItem(cartCallerOf(request), request.params.id, request.body)
        return reply.code(201).send(cart)
      },
    )

    app.patch(
      '/v1/carts/:id/items/:itemId',
      {
        config: open,
        schema: {
          tags: TAGS,
          summary: "Set a line's quantity; 0 removes it",
          security: SECURITY,
          params: CartItemParams,
          headers: CartTokenHeaders,
          body: UpdateItemBody,
          response: { 200: CartSchema, ...problems(401, 404, 409) },
        },
      },
      async (request) =>
        service.updateItem(
          cartCallerOf(request),
          request.params.id,
          request.params.itemId,
          request.body.quantity,
        ),
    )

    app.delete(
      '/v1/carts/:id/items/:itemId',
      {
        config: open,
        schema: {
          tags: TAGS,
          summary: 'Remove a line',
          security: SECURITY,
          params: CartItemParams,
          headers: CartTokenHeaders,
          response: { 200: CartSchema, ...problems(401, 404, 409) },
        },
      },
      async (request) =>
        service.removeItem(cartCallerOf(request), request.params.id, request.params.itemId),
    )

    app.post(
      '/v1/carts/:id/coupon',
      {
        config: open,
        schema: {
          tags: TAGS,
          summary: 'Apply a coupon code (replacing any other); the cart shows its discount',
          description:
            'Unknown code: 404 coupon_not_found. Used up (in total or by this customer): 409 ' +
            'coupon_exhausted. Otherwise not applicable now (inactive, outside its validity ' +
            "window, minimum subtotal not met, not for the cart's currency): 409 " +
            'coupon_not_applicable. Each carries a `reason`.',
          security: SECURITY,
          params: CartParams,
          headers: CartTokenHeaders,
          body: ApplyCouponBody,
          response: { 200: CartSchema, ...problems(401, 404, 409) },
        },
      },
      async (request) =>
        service.applyCoupon(cartCallerOf(request), request.params.id, request.body.code),
    )

    app.delete(
      '/v1/carts/:id/coupon',
      {
        config: open,
        schema: {
          tags: TAGS,
          summary: 'Remove the coupon code',
          security: SECURITY,
          params: CartParams,
          headers: CartTokenHeaders,
          response: { 200: CartSchema, ...problems(401, 404, 409) },
        },
      },
      async (request) => service.removeCoupon(cartCallerOf(request), request.params.id),
    )

    app.post(
      '/v1/carts/:id/claim',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: TAGS,
          summary:
            "Take over a guest cart (its X-Cart-Token): merged into the customer's open cart, if any",
          security: [{ bearer: [] }],
          params: CartParams,
          headers: CartTokenHeaders,
          response: { 200: CartSchema, ...problems(401, 404, 409) },
        },
      },
      async (request) =>
        service.claimCart(
          principalOf(request).subject,
          request.params.id,
          cartCallerOf(request).token,
        ),
    )
  }
}

/**
 * `POST /v1/unsubscribe`: the token of an abandoned-cart reminder, as JSON `{ token }` or in the
 * query with RFC 8058's one-click form body (`List-Unsubscribe=One-Click`, which is ignored).
 * Its own plugin, so the form parser stays on this route.
 */
function unsubscribeRoute(reminders: CartReminders): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, _body, done) => done(null, {}),
    )
    app.post(
      '/v1/unsubscribe',
      {
        config: { access: 'public', idempotency: false },
        schema: {
          tags: TAGS,
          summary: 'Stop abandoned-cart reminders to the address a reminder was sent to',
          description:
            'The token comes from the reminder (its link and its List-Unsubscribe header). ' +
            'Unknown token: 404 unsubscribe_token_invalid. Repeating it is harmless.',
          querystring: UnsubscribeQuery,
          body: Type.Optional(UnsubscribeBody),
          response: { 204: Type.Null(), ...problems(404) },
        },
      },
      async (request, reply) => {
        const token = request.body?.token ?? request.query.token
        if (!token) throw ReminderErrors.invalidToken()
        await reminders.unsubscribe(token)
        return reply.code(204).send(null)
      },
    )
  }
}
