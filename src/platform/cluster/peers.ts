import cluster from 'node:cluster'

/** The two kinds of process a cluster forks: HTTP (`serve`) and consumers and jobs (`worker`). */
export type PeerRole = 'serve' | 'worker'

/**
 * Messages between the processes of one cluster (`start` or `serve` with WEB_CONCURRENCY > 1),
 * through its primary over node:cluster's IPC channels: no Redis or NATS needed, and nothing
 * is lost while both ends live (a restarted process starts with empty caches anyway).
 */
export interface Peers {
  /** Sends to every other process of the cluster, or only to those of role `to`. */
  broadcast(topic: string, data?: unknown, to?: PeerRole): void
  /** Calls `listener` for each message on `topic` from another process; returns the unsubscribe. */
  on(topic: string, listener: (data: unknown) => void): () => void
}

/** The envelope on the IPC channel; other users of the channel (rate-limiter-flexible) skip it. */
export interface PeerMessage {
  channel: typeof PEER_CHANNEL
  topic: string
  data?: unknown
  to?: PeerRole
}

export const PEER_CHANNEL = 'emporium.peers'

export function isPeerMessage(message: unknown): message is PeerMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as PeerMessage).channel === PEER_CHANNEL &&
    typeof (message as PeerMessage).topic === 'string'
  )
}

let shared: Peers | undefined

/** This process's peers when it is a cluster child; undefined in a process on its own. */
export function clusterPeers(): Peers | undefined {
  if (!cluster.isWorker || !process.send) return undefined
  if (shared) return shared
  const listeners = new Map<string, Set<(data: unknown) => void>>()
  process.on('message', (message: unknown) => {
    if (!isPeerMessage(message)) return
    for (const listener of listeners.get(message.topic) ?? []) listener(message.data)
  })
  shared = {
    broadcast(topic, data, to) {
      const message: PeerMessage = { channel: PEER_CHANNEL, topic, data, to }
      // A closed channel means the primary is gone and this process is about to exit with it.
      if (process.connected) process.send!(message, undefined, {}, () => undefined)
    },
    on(topic, listener) {
      const set = listeners.get(topic) ?? new Set()
      set.add(listener)
      listeners.set(topic, set)
      return () => void set.delete(listener)
    },
  }
  return shared
}
