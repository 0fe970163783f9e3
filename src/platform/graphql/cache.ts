import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import { Kind, parse, type DocumentNode } from 'graphql'

/** Serves a public read from a reply cache: a hit is sent as is, a miss runs `load` and keeps it. */
export type ReadThrough = <T>(
  request: FastifyRequest,
  reply: FastifyReply,
  load: () => Promise<T>,
) => Promise<T>

/**
 * Public reads a part lets the platform cache as whole replies: GET queries whose root fields
 * are all in `rootFields`, answers that depend on nothing but the URL (the same bytes for every
 * caller). The part's `readThrough` owns the entries and empties them when its data changes.
 */
export interface CachedQueries {
  rootFields: readonly string[]
  readThrough: ReadThrough
}

/** Stands for a reply that must not be kept (one with errors): it still goes out. */
class Uncacheable {
  constructor(readonly result: unknown) {}
}

/** Distinct query texts whose cacheability is remembered (parsing again past it is only slower). */
const REMEMBERED = 1000

/** The single query operation's root field names; undefined for anything else. */
function rootFieldsOf(document: DocumentNode): string[] | undefined {
  const [operation, ...rest] = document.definitions
  if (rest.length > 0 || operation?.kind !== Kind.OPERATION_DEFINITION) return undefined
  if (operation.operation !== 'query') return undefined
  const names: string[] = []
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return undefined
    if (selection.name.value !== '__typename') names.push(selection.name.value)
  }
  return names
}

/**
 * Wraps the GraphQL GET handler: a query whose root fields all belong to one part's
 * {@link CachedQueries} is answered through that part's cache, keyed by the URL (query text,
 * variables and operation name). POST, persisted-query hashes without their text, mutations and
 * anything with errors run as usual and are never kept.
 */
export function cachingHandler(
  parts: readonly CachedQueries[],
  handler: RouteHandlerMethod,
): RouteHandlerMethod {
  if (parts.length === 0) return handler
  const owners = new Map<string, CachedQueries>()
  for (const part of parts) for (const field of part.rootFields) owners.set(field, part)
  const known = new Map<string, CachedQueries | null>()

  const ownerOf = (query: string): CachedQueries | null => {
    const remembered = known.get(query)
    if (remembered !== undefined) return remembered
    let owner: CachedQueries | null = null
    try {
      const fields = rootFieldsOf(parse(query))
      const candidates = new Set(fields?.map((f) => owners.get(f)))
      const [only] = candidates
      if (fields && fields.length > 0 && candidates.size === 1 && only) owner = only
    } catch {
      // Not GraphQL: Mercurius answers it with its own error.
    }
    if (known.size >= REMEMBERED) known.delete(known.keys().next().value as string)
    known.set(query, owner)
    return owner
  }

  return async function (this: unknown, request, reply) {
    const query = (request.query as { query?: unknown } | undefined)?.query
    const owner = typeof query === 'string' ? ownerOf(query) : null
    if (!owner) return handler.call(this as never, request, reply)
    try {
      return await owner.readThrough(request, reply, async () => {
        const result = (await handler.call(this as never, request, reply)) as { errors?: unknown }
        if (reply.sent || result?.errors !== undefined) throw new Uncacheable(result)
        return result
      })
    } catch (error) {
      if (error instanceof Uncacheable) return error.result
      throw error
    }
  }
}
