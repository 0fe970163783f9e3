import {
  McpError,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
} from '@modelcontextprotocol/sdk/types.js'
import { isAppError } from '../../platform/errors.js'
import type { CatalogApi } from '../../modules/catalog/index.js'

/** MCP's code for a resource that does not exist (specification, "Resources": error handling). */
export const RESOURCE_NOT_FOUND = -32002

export type CategoryReader = Pick<CatalogApi['categories'], 'tree' | 'get'>

const TREE_URI = 'emporium://categories'
const ONE_PREFIX = `${TREE_URI}/`
const JSON_TYPE = 'application/json'

function json(uri: string, value: unknown): ReadResourceResult {
  return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(value) }] }
}

/**
 * The category tree as resources: `emporium://categories` (the whole tree, as
 * `GET /v1/categories` answers it) and `emporium://categories/{idOrSlug}` (one category and its
 * subtree). An agent reads them to learn what `search_products`' `category` may name.
 */
export function categoryResources(categories: CategoryReader) {
  const list: Resource[] = [
    {
      uri: TREE_URI,
      name: 'categories',
      title: 'Category tree',
      description: "The store's categories, nested; each has an id and a slug.",
      mimeType: JSON_TYPE,
    },
  ]
  const templates: ResourceTemplate[] = [
    {
      uriTemplate: `${ONE_PREFIX}{idOrSlug}`,
      name: 'category',
      title: 'Category',
      description: 'One category by id or slug, with its subcategories.',
      mimeType: JSON_TYPE,
    },
  ]
  return {
    list,
    templates,
    /** The resource at `uri`; MCP's "resource not found" for an unknown URI or category. */
    async read(uri: string): Promise<ReadResourceResult> {
      try {
        if (uri === TREE_URI) return json(uri, { data: await categories.tree() })
        const idOrSlug = uri.startsWith(ONE_PREFIX) ? uri.slice(ONE_PREFIX.length) : ''
        if (/^[A-Za-z0-9_-]{1,120}$/.test(idOrSlug)) {
          return json(uri, await categories.get(idOrSlug))
        }
      } catch (error) {
        if (!isAppError(error) || error.kind !== 'not_found') throw error
      }
      throw new McpError(RESOURCE_NOT_FOUND, 'Resource not found', { uri })
    },
  }
}
