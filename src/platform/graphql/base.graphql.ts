import { complexityDirective } from './limits.js'

/** The SDL every module fragment extends: root types, scalars, money and pages. */
export const baseTypeDefs = /* GraphQL */ `
  ${complexityDirective}
  """
  An RFC 3339 timestamp in UTC.
  """
  scalar DateTime

  """
  An amount of money: integer minor units (cents) and an ISO 4217 currency code.
  """
  type Money {
    amount: Int!
    currency: String!
  }

  input MoneyInput {
    amount: Int!
    currency: String!
  }

  """
  Where a page ends. Pass \`endCursor\` as \`after\` for the next page; cursors are opaque and
  belong to the sort order and filters they were issued for.
  """
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type Query
  type Mutation
  type Subscription
`
