/** A domain event as it leaves the outbox. `id` is unique and stable across redeliveries. */
export interface DomainEvent<T = Record<string, unknown>> {
  id: string
  type: string
  aggregateType: string
  aggregateId: string
  payload: T
  occurredAt: string
  /** The W3C trace context of the span that wrote the event, when tracing is on. */
  traceparent?: string
}

export interface NewEvent<T = Record<string, unknown>> {
  type: string
  aggregateType: string
  aggregateId: string
  payload: T
}

export type EventHandler = (event: DomainEvent) => Promise<void>

/**
 * Notice of events as they pass through the bus, for waking what waits on them (an order's SSE
 * streams), never for work: at most once, no record, nothing replayed to a late watcher. In process
 * the relay's publish calls the watchers; on JetStream every process that watches holds one plain
 * NATS subscription per type, so an event published by any instance reaches all of them.
 */
export interface EventWatch {
  /** Calls `listener` for each event of `type` seen from now on; the result stops it. */
  watch(type: string, listener: (event: DomainEvent) => void): () => void
}

/**
 * Where the relay hands committed events: the in-process bus, or NATS JetStream with NATS_URL.
 * Both deliver each event at least once to every consumer subscribed to its type (there is no
 * wildcard type), in publish order per consumer, and skip an event id a consumer already
 * processed (`platform.processed_event`). Contract: test/platform/event-bus.contract.test.ts.
 */
export interface EventBus extends EventWatch {
  /**
   * `consumer` names the subscriber: the processed-event key and, on JetStream, the durable
   * consumer. Register in the roles that consume (start, worker), then call `start`.
   */
  subscribe(type: string, consumer: string, handler: EventHandler): void
  /** Resolves once the bus holds the event: handlers ran (in-process) or NATS acknowledged it. */
  publish(event: DomainEvent): Promise<void>
  /** Begins consuming for the subscriptions made so far (JetStream); a no-op in-process. */
  start(): Promise<void>
  /** Stops consuming, lets handlers in flight finish and closes the connection. */
  stop(): Promise<void>
}
