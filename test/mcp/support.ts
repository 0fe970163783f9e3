import assert from 'node:assert/strict'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'

/** An MCP client from the SDK, connected to `base` + `/mcp` (with a bearer token if given). */
export async function connectAgent(base: string, bearer?: string): Promise<Client> {
  const client = new Client({ name: 'emporium-test-agent', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
    requestInit: bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {},
  })
  await client.connect(transport)
  return client
}

/** A tool call that must succeed: its structured content. */
export async function call<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult
  assert.notEqual(result.isError, true, `${name} failed: ${JSON.stringify(result.content)}`)
  assert.ok(result.structuredContent, `${name} has structured content`)
  const text = result.content[0]
  assert.equal(text?.type, 'text')
  assert.deepEqual(JSON.parse((text as { text: string }).text), result.structuredContent)
  return result.structuredContent as T
}

export interface ToolProblem {
  code: string
  status: number
  title: string
  detail?: string
  errors?: { path: string; message: string }[]
  retryAfter?: number
}

/** A tool call that must be refused: the problem document its tool error carries. */
export async function refusal(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolProblem> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult
  assert.equal(result.isError, true, `${name} was refused: ${JSON.stringify(result.content)}`)
  assert.equal(result.structuredContent, undefined)
  const text = result.content[0]
  assert.equal(text?.type, 'text')
  return JSON.parse((text as { text: string }).text) as ToolProblem
}

/** A guest's cart holding `quantity` of one variant, filled through the tools. */
export async function guestCart(agent: Client, variantId: string, quantity = 1) {
  const cart = await call<{ id: string; token: string }>(agent, 'create_cart', {})
  await call(agent, 'add_to_cart', { cartId: cart.id, cartToken: cart.token, variantId, quantity })
  return { cartId: cart.id, cartToken: cart.token }
}
