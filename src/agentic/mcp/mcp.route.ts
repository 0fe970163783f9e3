import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { McpServerOptions } from './mcp.server.js'
import { rebindingGuard, type RebindingSettings } from './mcp.rebinding.js'

export interface McpRouteOptions extends McpServerOptions {
  rebinding: RebindingSettings
}

/**
 * What the request costs before the transport sees it: one per JSON-RPC message (one for a GET,
 * a DELETE or an empty batch), except tool calls, which are charged as they run, so that a spent
 * quota is a tool error the agent reads rather than an HTTP 429.
 */
function chargedAtTheEdge(body: unknown): number {
  const messages: unknown[] = Array.isArray(body) ? body : [body]
  const calls = messages.filter((m) => (m as { method?: unknown } | null)?.method === 'tools/call')
  const others = messages.length - calls.length
  return calls.length > 0 ? others : Math.max(1, others)
}

async function loadSdk(options: McpServerOptions) {
  const [{ createMcpServer, describeTools }, { WebStandardStreamableHTTPServerTransport }] =
    await Promise.all([
      import('./mcp.server.js'),
      import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    ])
  return {
    createMcpServer,
    described: describeTools(options),
    Transport: WebStandardStreamableHTTPServerTransport,
  }
}

const NOT_ALLOWED = {
  jsonrpc: '2.0',
  error: { code: -32000, message: 'Method not allowed: this server is stateless, send POST.' },
  id: null,
}

function webRequest(request: FastifyRequest): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value)
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v)
  }
  // The transport reads the method, headers and body, not the URL: no need to trust Host here.
  return new Request(new URL(request.url, 'http://localhost'), { method: request.method, headers })
}

/**
 * `/mcp`: the Model Context Protocol over Streamable HTTP, stateless (a new server and transport
 * per request, no session id), answering JSON rather than an event stream. The request goes
 * through the app like any route (body limit, JSON parsing, CORS, security headers, credential
 * check, request log and metrics), and the transport's Response is sent through Fastify's reply.
 * Each JSON-RPC message costs what one REST request costs against the caller's quota.
 */
export function mcpRoute(options: McpRouteOptions) {
  const guard = rebindingGuard(options.rebinding)
  // The SDK takes ~25 MB and a second or more to load: only a store that is asked for /mcp pays.
  let loading: ReturnType<typeof loadSdk> | undefined
  const sdk = () => (loading ??= loadSdk(options))
  return async (app: FastifyInstance) => {
    app.route({
      method: ['GET', 'POST', 'DELETE'],
      url: '/mcp',
      config: { access: 'public', idempotency: false, rateLimit: { perOperation: true } },
      // MCP describes itself (tools/list); the OpenAPI document is REST's, as for /graphql.
      schema: { hide: true },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const refusal = guard(request)
        if (refusal) return reply.code(403).send(refusal)
        for (let i = chargedAtTheEdge(request.body); i > 0; i--) {
          await options.charge(request, reply)
        }
        // Stateless: no session to delete, and no stream a server living for one request could
        // feed later (the SDK's stateless examples answer the same).
        if (request.method !== 'POST')
          return reply.code(405).header('allow', 'POST').send(NOT_ALLOWED)
        const { createMcpServer, described, Transport } = await sdk()
        const server = createMcpServer(options, described, request, reply)
        const transport = new Transport({
          sessionIdGenerator: undefined,
          enableJsonResponse: true,
        })
        try {
          await server.connect(transport)
          const response = await transport.handleRequest(webRequest(request), {
            parsedBody: request.body,
          })
          const body = await response.text()
          response.headers.forEach((value, name) => void reply.header(name, value))
          return await reply.code(response.status).send(body === '' ? undefined : body)
        } finally {
          await server.close()
        }
      },
    })
  }
}
