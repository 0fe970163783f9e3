import {
  buildSchema,
  GraphQLSchema,
  lexicographicSortSchema,
  printSchema,
  type GraphQLObjectType,
} from 'graphql'

/**
 * The executable schema's shape from its SDL fragments (module fragments extend the base's root
 * types). A root type no fragment extends is left out: GraphQL forbids types without fields.
 */
export function schemaOf(typeDefs: readonly string[]): GraphQLSchema {
  const config = buildSchema(typeDefs.join('\n')).toConfig()
  const hasFields = (type: GraphQLObjectType | null | undefined) =>
    type && Object.keys(type.getFields()).length > 0 ? type : undefined
  const mutation = hasFields(config.mutation)
  const subscription = hasFields(config.subscription)
  const empty = new Set([config.mutation, config.subscription].filter((t) => t && !hasFields(t)))
  return new GraphQLSchema({
    ...config,
    mutation,
    subscription,
    types: config.types.filter((t) => !empty.has(t as GraphQLObjectType)),
  })
}

/** The schema as checked in (`schema.graphql`): sorted, so a change shows as a small diff. */
export function printSdl(typeDefs: readonly string[]): string {
  return `${printSchema(lexicographicSortSchema(schemaOf(typeDefs)))}\n`
}
