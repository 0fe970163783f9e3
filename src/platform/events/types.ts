/** A domain event as it leaves the outbox. `id` is unique and stable across redeliveries. */
export interface DomainEvent<T = Record<string, unknown>> {
  id: string
  type: string
  aggregateType: string
  aggregateId: string
  payload: T
  occurredAt: string
}

export interface NewEvent<T = Record<string, unknown>> {
  type: string
  aggregateType: string
  aggregateId: string
  payload: T
}

export type EventHandler = (event: DomainEvent) => Promise<void>

/**
 * Where the relay hands committed events: the in-process bus, or NATS JetStream with NATS_URL.
 * Both deliver each event at least once to every consumer subscribed to its type (there is no
 * wildcard type), in publish order per consumer, and skip an event id a consumer already
 * processed (`platform.processed_event`). Contract: test/platform/event-bus.contract.test.ts.
 */
export interface EventBus {
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
