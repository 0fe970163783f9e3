/**
 * Against DNS rebinding (MCP's Streamable HTTP transport, "Security Warning"): a web page whose
 * host name was re-pointed at this server must not reach `/mcp` from the visitor's browser.
 */
export interface RebindingSettings {
  /**
   * Origins a browser may call from: `CORS_ORIGINS` and `PUBLIC_URL`'s origin. A request
   * without `Origin` (an agent, not a browser page) passes.
   */
  allowedOrigins: readonly string[]
  /**
   * Host names (any port) the `Host` header may name, or null for any: set when the server
   * listens on a loopback address, where a rebound name is the attack (the SDK's
   * `localhostHostValidation` does the same for Express). Pages on those names (the server's
   * own, a local storefront) may then call too, whatever their port.
   */
  allowedHostnames: readonly string[] | null
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1', '[::1]']

/** The settings for a server listening on `host` and reached at `publicUrl`. */
export function rebindingSettings(
  host: string,
  publicUrl: string,
  corsOrigins: readonly string[],
): RebindingSettings {
  const publicOrigin = new URL(publicUrl)
  return {
    allowedOrigins: [
      ...new Set([publicOrigin.origin, ...corsOrigins.map((o) => new URL(o).origin)]),
    ],
    allowedHostnames: LOOPBACK.includes(host)
      ? [...new Set(['localhost', '127.0.0.1', '[::1]', publicOrigin.hostname])]
      : null,
  }
}

/** A JSON-RPC error body, as the SDK's transport answers a refused header, or null to go on. */
export function rebindingGuard(settings: RebindingSettings) {
  const refuse = (message: string) => ({
    jsonrpc: '2.0' as const,
    error: { code: -32000, message },
    id: null,
  })
  const local = (hostname: string | undefined) =>
    hostname !== undefined && (settings.allowedHostnames?.includes(hostname) ?? false)
  return (request: { headers: Record<string, string | string[] | undefined> }) => {
    const { origin, host } = request.headers
    if (
      typeof origin === 'string' &&
      !settings.allowedOrigins.includes(origin) &&
      !local(hostnameOf(origin))
    ) {
      return refuse(`Invalid Origin header: ${origin}`)
    }
    if (settings.allowedHostnames && !local(hostnameOf(`http://${String(host)}`))) {
      return refuse(`Invalid Host header: ${String(host)}`)
    }
    return null
  }
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname
  } catch {
    return undefined
  }
}
