import net from 'node:net'

/**
 * A TCP proxy on a free local port that forwards to `target`, and can be cut (every open
 * connection destroyed, new ones refused) and restored: a dependency outage without stopping
 * the shared server.
 */
export interface TcpProxy {
  readonly port: number
  /** Connections accepted and forwarded so far. */
  readonly accepted: number
  /** `target`'s URL with host and port replaced by the proxy's. */
  url(original: string): string
  cut(): void
  restore(): void
  close(): Promise<void>
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  let open = true
  let accepted = 0
  const server = net.createServer((client) => {
    if (!open) return client.destroy()
    accepted++
    const upstream = net.connect(target.port, target.host)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {})
    }
    client.pipe(upstream).pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    get accepted() {
      return accepted
    },
    url(original) {
      const u = new URL(original)
      u.hostname = '127.0.0.1'
      u.port = String(port)
      return u.toString()
    },
    cut() {
      open = false
      for (const s of sockets) s.destroy()
    },
    restore() {
      open = true
    },
    async close() {
      open = false
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Host and port of a URL (redis://…, postgres://…). */
export function endpointOf(url: string, defaultPort: number): { host: string; port: number } {
  const u = new URL(url)
  return { host: u.hostname, port: u.port ? Number(u.port) : defaultPort }
}
