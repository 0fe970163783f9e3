import cluster from 'node:cluster'

/**
 * What a cluster child tells its primary about its start: `migrated` once the schema is up to
 * date (the primary then forks the others), `ready` once it serves or consumes.
 */
export type ChildStatus = 'migrated' | 'ready'

export const STATUS_CHANNEL = 'emporium.status'

export interface StatusMessage {
  channel: typeof STATUS_CHANNEL
  status: ChildStatus
}

export function isStatusMessage(message: unknown): message is StatusMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as StatusMessage).channel === STATUS_CHANNEL
  )
}

/** Tells the primary, when this process is a cluster child; does nothing otherwise. */
export function sendStatus(status: ChildStatus): void {
  if (!cluster.isWorker || !process.connected) return
  const message: StatusMessage = { channel: STATUS_CHANNEL, status }
  process.send!(message, undefined, {}, () => undefined)
}
