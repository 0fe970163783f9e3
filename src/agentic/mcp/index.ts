import type { TSchema } from '@sinclair/typebox'
import type { IdempotencyOptions } from '../../platform/http/idempotency.js'
import { inputValidator } from '../../platform/http/input-validator.js'
import type { ModuleRuntime } from '../../platform/module.js'
import { chargeCaller } from '../../platform/ratelimit/http.js'
import type { RateLimitStore } from '../../platform/ratelimit/store.js'
import { mcpRoute } from './mcp.route.js'
import { rebindingSettings } from './mcp.rebinding.js'
import { storefrontTools, type McpDoors } from './mcp.tools.js'

/** What the MCP server reads from the configuration. */
export interface McpSettings {
  version: string
  /** The listen address and public URL (`HOST`, `PUBLIC_URL`) and `CORS_ORIGINS`. */
  host: string
  publicUrl: string
  corsOrigins: readonly string[]
}

/**
 * The MCP server at `/mcp`: the storefront's tools and the category resources over the same
 * services, credentials, validation and rate limits as REST. It owns no table and no service.
 */
export function createMcpRuntime(
  deps: McpDoors & {
    rateLimits: RateLimitStore
    /** The app's schemas with an `$id` (the shared ones and every module's). */
    schemas: readonly TSchema[]
    /** Where idempotency keys are kept: the same store as REST's `Idempotency-Key`. */
    idempotency: IdempotencyOptions
  },
  settings: McpSettings,
): ModuleRuntime {
  return {
    name: 'mcp',
    routes: mcpRoute({
      version: settings.version,
      tools: storefrontTools(deps),
      categories: deps.catalog.categories,
      schemas: deps.schemas,
      input: inputValidator(deps.schemas, '/mcp'),
      idempotency: deps.idempotency,
      charge: (request, reply) => chargeCaller(deps.rateLimits, request, reply),
      rebinding: rebindingSettings(settings.host, settings.publicUrl, settings.corsOrigins),
    }),
  }
}
