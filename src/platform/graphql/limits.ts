import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql'
import {
  directiveEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity'
import { requestError } from './errors.js'

export interface QueryLimits {
  /** Deepest field nesting an operation may have (introspection fields not counted). */
  maxDepth: number
  /**
   * Most an operation may cost: each field 1, plus what its `@complexity(value, multipliers)`
   * says; a list field multiplies its selection by its `first` argument.
   */
  maxCost: number
}

/** The SDL that declares the cost directive the module fragments annotate their lists with. */
export const complexityDirective = /* GraphQL */ `
  """
  Cost of a field for the query cost limit: value, plus the cost of its selection, times the
  product of the named arguments (a page size).
  """
  directive @complexity(value: Int!, multipliers: [String!]) on FIELD_DEFINITION
`

/** Introspection (GraphiQL's schema query) is left to the introspection switch, not the limits. */
const introspectionIsFree: ComplexityEstimator = ({ field }) =>
  field.name.startsWith('__') ? 0 : undefined

const estimators = [
  introspectionIsFree,
  directiveEstimator({ name: 'complexity' }),
  simpleEstimator({ defaultComplexity: 1 }),
]

function depthOf(
  selection: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  let deepest = 0
  for (const node of selection?.selections ?? []) {
    if (node.kind === Kind.FIELD) {
      if (node.name.value.startsWith('__')) continue
      const below = node.selectionSet ? depthOf(node.selectionSet, fragments, seen) : 0
      deepest = Math.max(deepest, 1 + below)
    } else if (node.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(node.selectionSet, fragments, seen))
    } else {
      const name = node.name.value
      const fragment = fragments.get(name)
      // A fragment spreading itself is a validation error already; do not loop on it here.
      if (!fragment || seen.has(name)) continue
      seen.add(name)
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, seen))
      seen.delete(name)
    }
  }
  return deepest
}

/** The operation's field depth (through fragments). */
export function queryDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
  let deepest = 0
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue
    if (operationName && d.name?.value !== operationName) continue
    deepest = Math.max(deepest, depthOf(d.selectionSet, fragments, new Set()))
  }
  return deepest
}

/**
 * Refuses an operation over the depth or cost limit before anything runs, with
 * `extensions.code: "query_too_complex"`. The cost depends on the variables (page sizes), so it is
 * computed for each execution; both walks are over the document only. Without `variables`
 * (Mercurius does not hand a subscription's to its hooks) only the depth is checked: a
 * subscription selects one event at a time.
 */
export function assertWithinLimits(
  limits: QueryLimits,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
): void {
  const depth = queryDepth(document)
  if (depth > limits.maxDepth) {
    throw requestError(
      `The query is ${depth} levels deep; the limit is ${limits.maxDepth}.`,
      'query_too_complex',
    )
  }
  if (!variables) return
  const cost = getComplexity({ schema, query: document, variables, estimators })
  if (cost > limits.maxCost) {
    throw requestError(
      `The query costs ${cost}; the limit is ${limits.maxCost}. Ask for fewer items or fields.`,
      'query_too_complex',
    )
  }
}
