import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { principalOf } from '../../platform/http/access.js'
import { problems } from '../../platform/http/schemas.js'
import type { RoutePlugin } from '../../platform/module.js'
import {
  AddItemBody,
  ItemParams,
  SharedWishlistSchema,
  ShareLinkSchema,
  ShareParams,
  UnsubscribeBody,
  UnsubscribeQuery,
  WishlistItemSchema,
  WishlistPageQuery,
  WishlistSchema,
  WishlistSettingsBody,
} from './wishlists.schema.js'
import { WishlistsErrors } from './wishlists.errors.js'
import type { WishlistsService } from './wishlists.service.js'

const TAGS = ['wishlists']
const SECURITY = [{ bearer: [] }]
const Item = Type.Ref(WishlistItemSchema)

/** The signed-in customer's wishlist, and the public read-only view behind a share token. */
export function wishlistsRoutes(service: WishlistsService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const auth = { access: 'authenticated' as const }

    app.get(
      '/v1/me/wishlist',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'My wishlist: its alert settings and a page of items at current price and stock',
          security: SECURITY,
          querystring: WishlistPageQuery,
          response: { 200: WishlistSchema, ...problems(401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store')
        return service.getWishlist(principalOf(request).subject, request.query)
      },
    )

    app.patch(
      '/v1/me/wishlist',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'Opt in or out of back-in-stock and price-drop mails (both off by default)',
          security: SECURITY,
          body: WishlistSettingsBody,
          response: { 200: WishlistSchema, ...problems(401) },
        },
      },
      async (request) => service.updateSettings(principalOf(request).subject, request.body),
    )

    app.post(
      '/v1/me/wishlist/items',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary:
            'Add a product (or one of its variants): 201 when added, 200 with the same item when it was there already',
          security: SECURITY,
          body: AddItemBody,
          response: { 200: Item, 201: Item, ...problems(401, 404, 409) },
        },
      },
      async (request, reply) => {
        const added = await service.addItem(principalOf(request).subject, request.body)
        return reply.code(added.created ? 201 : 200).send(added.item)
      },
    )

    app.delete(
      '/v1/me/wishlist/items/:itemId',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'Remove an item',
          security: SECURITY,
          params: ItemParams,
          response: { 204: Type.Null(), ...problems(401, 404) },
        },
      },
      async (request, reply) => {
        await service.removeItem(principalOf(request).subject, request.params.itemId)
        return reply.code(204).send(null)
      },
    )

    app.post(
      '/v1/me/wishlist/share',
      {
        // The token is a secret: a replayed reply keeps it sealed for this caller only.
        config: { ...auth, idempotency: { secrets: ['token', 'path'] } },
        schema: {
          tags: TAGS,
          summary: 'Create a read-only share link, or rotate it (the previous link stops working)',
          security: SECURITY,
          response: { 201: ShareLinkSchema, ...problems(401) },
        },
      },
      async (request, reply) => {
        const token = await service.shareWishlist(principalOf(request).subject)
        reply.header('cache-control', 'no-store')
        return reply.code(201).send({ token, path: `/v1/wishlists/shared/${token}` })
      },
    )

    app.delete(
      '/v1/me/wishlist/share',
      {
        config: auth,
        schema: {
          tags: TAGS,
          summary: 'Revoke the share link (idempotent)',
          security: SECURITY,
          response: { 204: Type.Null(), ...problems(401) },
        },
      },
      async (request, reply) => {
        await service.revokeShare(principalOf(request).subject)
        return reply.code(204).send(null)
      },
    )

    app.get(
      '/v1/wishlists/shared/:token',
      {
        config: { access: 'public' as const },
        schema: {
          tags: TAGS,
          summary: 'A shared wishlist, read-only: its items without any customer data',
          params: ShareParams,
          querystring: WishlistPageQuery,
          response: { 200: SharedWishlistSchema, ...problems(404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer')
        return service.getShared(request.params.token, request.query)
      },
    )
  }
}

/**
 * `POST /v1/wishlists/alerts/unsubscribe`: the token of a wishlist alert mail, as JSON `{ token }`
 * or in the query with RFC 8058's one-click form body (ignored). Its own plugin, so the form
 * parser stays on this route.
 */
export function unsubscribeRoute(service: WishlistsService): RoutePlugin {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, _body, done) => done(null, {}),
    )
    app.post(
      '/v1/wishlists/alerts/unsubscribe',
      {
        config: { access: 'public', idempotency: false },
        schema: {
          tags: TAGS,
          summary: 'Turn off the kind of wishlist alert a mail was (back in stock or price drop)',
          description:
            'The token comes from the alert mail (its link and its List-Unsubscribe header). ' +
            'Unknown token: 404 unsubscribe_token_invalid. Repeating it is harmless.',
          querystring: UnsubscribeQuery,
          body: Type.Optional(UnsubscribeBody),
          response: { 204: Type.Null(), ...problems(404) },
        },
      },
      async (request, reply) => {
        const token = request.body?.token ?? request.query.token
        if (!token) throw WishlistsErrors.unsubscribeTokenInvalid()
        await service.unsubscribeAlerts(token)
        return reply.code(204).send(null)
      },
    )
  }
}
