import { given, orNull } from '../../platform/graphql/resolvers.js'
import { requirePermission } from '../../platform/graphql/context.js'
import type { GraphqlPart } from '../../platform/graphql/plugin.js'
import type { Resolvers, StockLevel as StockLevelType } from '../../graphql.types.js'
import { HeldReservationsQuery, SetStockLevelBody } from './inventory.schema.js'
import type { InventoryService, StockLevel } from './inventory.service.js'

export const inventoryTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    A variant's stock level; null when no stock is tracked for it. Needs inventory:write.
    """
    stockLevel(variantId: ID!): StockLevel
    """
    A variant's held reservations, soonest expiry first (at most \`first\`, up to 200). A variant
    without stock tracked is \`stock_level_not_found\`. Needs inventory:write.
    """
    reservations(variantId: ID!, first: Int = 50): [StockReservation!]!
      @complexity(value: 1, multipliers: ["first"])
  }

  extend type Mutation {
    """
    Sets a variant's on-hand stock and/or low-stock threshold; with \`expectedVersion\` (REST's
    If-Match) a level changed since is \`precondition_failed\`. Needs inventory:write.
    """
    setStock(variantId: ID!, input: StockLevelInput!, expectedVersion: Int): StockLevel!
  }

  type StockLevel {
    variantId: ID!
    onHand: Int!
    reserved: Int!
    """
    On hand less reserved.
    """
    available: Int!
    lowStockThreshold: Int!
    """
    Row version, for \`expectedVersion\` (REST's ETag is "v<version>").
    """
    version: Int!
    updatedAt: DateTime!
  }

  """
  At least one field; on-hand stock may not go below what is reserved.
  """
  input StockLevelInput {
    onHand: Int
    lowStockThreshold: Int
  }

  enum StockReservationStatus {
    held
    committed
    released
  }

  """
  Stock held for a reference (an order, a checkout) until it expires or is committed.
  """
  type StockReservation {
    id: ID!
    reference: String!
    quantity: Int!
    status: StockReservationStatus!
    expiresAt: DateTime!
    createdAt: DateTime!
  }
`

function toGraphql(level: StockLevel): StockLevelType {
  return {
    variantId: level.variantId,
    onHand: level.onHand,
    reserved: level.reserved,
    available: level.available,
    lowStockThreshold: level.lowStockThreshold,
    version: level.version,
    updatedAt: level.updatedAt.toISOString(),
  }
}

/** Stock levels over the same service calls as `/v1/admin/inventory/:variantId`. */
export function inventoryGraphql(inventory: InventoryService): GraphqlPart {
  const resolvers: Resolvers = {
    Query: {
      stockLevel: async (_root, { variantId }, context) => {
        requirePermission(context, 'inventory:write')
        const level = await orNull(inventory.getLevel(variantId))
        return level && toGraphql(level)
      },
      reservations: async (_root, args, context) => {
        requirePermission(context, 'inventory:write')
        const query = context.input(
          HeldReservationsQuery,
          given({ limit: args.first }),
          '/reservations',
        )
        const lines = await inventory.listHeld(args.variantId, query.limit)
        return lines.map((l) => ({
          id: l.id,
          reference: l.reference,
          quantity: l.quantity,
          status: l.status,
          expiresAt: l.expiresAt.toISOString(),
          createdAt: l.createdAt.toISOString(),
        }))
      },
    },
    Mutation: {
      setStock: async (_root, args, context) => {
        requirePermission(context, 'inventory:write')
        const change = context.input(SetStockLevelBody, given(args.input), '/setStock/input')
        const level = await inventory.updateLevel(
          args.variantId,
          change,
          args.expectedVersion ?? undefined,
        )
        return toGraphql(level)
      },
    },
  }
  return { resolvers: resolvers as GraphqlPart['resolvers'] }
}
