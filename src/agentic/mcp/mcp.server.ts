import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js'
import type { TSchema } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isAppError, type AppError } from '../../platform/errors.js'
import { runOnce, type IdempotencyOptions } from '../../platform/http/idempotency.js'
import type { InputValidator } from '../../platform/http/input-validator.js'
import { httpStatusOf, problemType } from '../../platform/http/problems.js'
import { selfContained } from './mcp.json-schema.js'
import { categoryResources, type CategoryReader } from './mcp.resources.js'
import type { Once, ToolCaller, ToolDefinition } from './mcp.tools.js'

export interface McpServerOptions {
  version: string
  tools: readonly ToolDefinition[]
  categories: CategoryReader
  /** The app's schemas with an `$id`, which tool schemas may reference. */
  schemas: readonly TSchema[]
  input: InputValidator
  /** Where idempotency keys are kept: the store REST's `Idempotency-Key` uses. */
  idempotency: IdempotencyOptions
  /** Charges one operation against the caller's quota; throws `rate_limited` when spent. */
  charge: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
}

const INSTRUCTIONS =
  'Emporium store. Find products with search_products or get_product, then create_cart, ' +
  'add_to_cart with a variant id, and checkout with a payment token. Keep the cart token ' +
  'from create_cart and the order token from checkout: guests need them for later calls. A ' +
  'refused call is a tool error whose text is a problem document with a stable `code`.'

/** A refused call as MCP wants it: a tool error carrying the REST problem document. */
function toolError(problem: Record<string, unknown>): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(problem) }] }
}

function problemOf(error: AppError): Record<string, unknown> {
  return {
    ...error.extra,
    type: problemType(error.code),
    title: error.title,
    status: httpStatusOf(error.kind),
    ...(error.detail ? { detail: error.detail } : {}),
    code: error.code,
    ...(error.errors?.length ? { errors: error.errors } : {}),
  }
}

/** The key's scope is the caller, as for REST: the user, the API key, or the guest's token. */
function onceFor(idempotency: IdempotencyOptions, request: FastifyRequest): Once {
  return async ({ name, key, ...operation }, run) => {
    if (key === undefined) return run()
    const { value } = await runOnce(
      idempotency,
      request,
      { ...operation, route: `mcp:${name}`, key },
      run,
    )
    return value
  }
}

/** The tool list as clients see it, built once: self-contained input and output schemas. */
export function describeTools(options: Pick<McpServerOptions, 'tools' | 'schemas'>): Tool[] {
  return options.tools.map((t) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: selfContained(t.input, options.schemas) as Tool['inputSchema'],
    outputSchema: selfContained(t.output, options.schemas) as Tool['outputSchema'],
    annotations: {
      title: t.title,
      readOnlyHint: t.readOnly,
      destructiveHint: false,
      openWorldHint: false,
    },
  }))
}

/**
 * One request's MCP server (stateless: a new one per HTTP request, like its transport). Tool
 * calls run as the request's caller, validated with the REST routes' schemas and charged against
 * the caller's quota one by one; a service error becomes a tool error with the same problem
 * `code` REST answers.
 */
export function createMcpServer(
  options: McpServerOptions,
  described: Tool[],
  request: FastifyRequest,
  reply: FastifyReply,
): Server {
  // The SDK marks the low-level Server for advanced use: tools here are described by the routes'
  // JSON Schemas and validated by the routes' validator, which McpServer's zod schemas cannot do.
  const server = new Server(
    { name: 'emporium', title: 'Emporium', version: options.version },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  )
  const caller: ToolCaller = {
    customerId: request.principal?.subject ?? null,
    once: onceFor(options.idempotency, request),
  }
  const byName = new Map(options.tools.map((t) => [t.name, t]))

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: described }))
  server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
    const definition = byName.get(params.name)
    if (!definition) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`)
    try {
      await options.charge(request, reply)
      const args = options.input(definition.input, params.arguments ?? {}, '/arguments')
      const value = await definition.run(args, caller)
      return {
        content: [{ type: 'text', text: JSON.stringify(value) }],
        structuredContent: value as Record<string, unknown>,
      }
    } catch (error) {
      if (isAppError(error)) return toolError(problemOf(error))
      request.log.error({ err: error, tool: params.name }, 'MCP tool failed')
      return toolError({
        type: problemType('internal_error'),
        title: 'Internal server error',
        status: 500,
        detail: `An unexpected error occurred. Quote the request id ${request.id} when reporting it.`,
        code: 'internal_error',
      })
    }
  })

  const resources = categoryResources(options.categories)
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: resources.list }))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: resources.templates,
  }))
  server.setRequestHandler(ReadResourceRequestSchema, ({ params }) => resources.read(params.uri))
  return server
}
