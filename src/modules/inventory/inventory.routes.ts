import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { expectedVersion, versionEtag } from '../../platform/http/conditional.js'
import { problems } from '../../platform/http/schemas.js'
import type { InventoryService, StockLevel } from './inventory.service.js'
import { lowStockPage, type VariantLabels } from './low-stock.js'
import {
  HeldReservationList,
  HeldReservationsQuery,
  LowStockPage,
  LowStockQuery,
  SetStockLevelBody,
  StockLevelSchema,
  VariantIdParams,
  type StockLevelDto,
} from './inventory.schema.js'

function toDto(level: StockLevel): StockLevelDto {
  return {
    variantId: level.variantId,
    onHand: level.onHand,
    reserved: level.reserved,
    available: level.available,
    lowStockThreshold: level.lowStockThreshold,
    updatedAt: level.updatedAt.toISOString(),
  }
}

export function inventoryRoutes(service: InventoryService, labels: VariantLabels) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
    const security = [{ bearer: [] }]

    // Registered before /:variantId; a static segment wins over a parameter in any case.
    app.get(
      '/v1/admin/inventory/low-stock',
      {
        config: { access: { permission: 'catalog:read' } },
        schema: {
          tags: ['inventory'],
          summary: 'Variants at or below their low-stock threshold, least available first',
          security,
          querystring: LowStockQuery,
          response: { 200: LowStockPage, ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store')
        return lowStockPage(service, labels, request.query)
      },
    )

    app.get(
      '/v1/admin/inventory/:variantId',
      {
        config: { access: { permission: 'inventory:write' } },
        schema: {
          tags: ['inventory'],
          summary: 'Read a variant’s stock level (ETag for If-Match)',
          security,
          params: VariantIdParams,
          response: { 200: StockLevelSchema, ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const level = await service.getLevel(request.params.variantId)
        reply.header('etag', versionEtag(level.version)).header('cache-control', 'no-store')
        return toDto(level)
      },
    )

    app.put(
      '/v1/admin/inventory/:variantId',
      {
        config: { access: { permission: 'inventory:write' } },
        schema: {
          tags: ['inventory'],
          summary:
            'Set on-hand stock and/or the low-stock threshold (If-Match guards lost updates)',
          security,
          params: VariantIdParams,
          body: SetStockLevelBody,
          response: { 200: StockLevelSchema, ...problems(401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const expected = expectedVersion(request.headers['if-match'])
        const level = await service.updateLevel(request.params.variantId, request.body, expected)
        reply.header('etag', versionEtag(level.version))
        return toDto(level)
      },
    )

    app.get(
      '/v1/admin/inventory/:variantId/reservations',
      {
        config: { access: { permission: 'inventory:write' } },
        schema: {
          tags: ['inventory'],
          summary: 'List a variant’s held reservations, soonest expiry first',
          security,
          params: VariantIdParams,
          querystring: HeldReservationsQuery,
          response: { 200: HeldReservationList, ...problems(401, 403, 404) },
        },
      },
      async (request, reply): Promise<HeldReservationList> => {
        const lines = await service.listHeld(request.params.variantId, request.query.limit)
        reply.header('cache-control', 'no-store')
        return {
          data: lines.map((l) => ({
            id: l.id,
            reference: l.reference,
            quantity: l.quantity,
            status: l.status,
            expiresAt: l.expiresAt.toISOString(),
            createdAt: l.createdAt.toISOString(),
          })),
        }
      },
    )
  }
}
