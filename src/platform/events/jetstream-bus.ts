import { createRequire } from 'node:module'
import type { Kysely } from 'kysely'
import type * as Nats from 'nats'
import type { ConsumerMessages, JetStreamClient, JsMsg, NatsConnection, Subscription } from 'nats'
import type { Logger } from 'pino'
import { currentTraceparent, SpanKind, withSpan } from '../telemetry/tracing.js'
import { processOnce } from './processed-events.js'
import type { DomainEvent, EventBus, EventHandler } from './types.js'

/** The nats client, loaded when NATS_URL is set: importing it costs ~55 ms of every start. */
const require = createRequire(import.meta.url)
const loadNats = () => require('nats') as typeof Nats

export interface JetStreamBusOptions {
  url: string
  db: Kysely<unknown>
  logger: Logger
  /** The durable stream; tests use a name of their own. */
  stream?: string
  /** Each event goes to `<subjectPrefix>.<event type>`. */
  subjectPrefix?: string
  /** An unacknowledged delivery is redelivered after this long (a running handler extends it). */
  ackWaitMs?: number
  /** Deliveries of one message before it is given up (logged and terminated). */
  maxDeliver?: number
  /** A failed delivery is retried after `retryDelayMs × 2^(delivery − 1)`, at most an hour. */
  retryDelayMs?: number
  /** How long JetStream drops a second publish of the same event id. */
  duplicateWindowMs?: number
  maxAgeDays?: number
}

interface Group {
  durable: string
  handlers: Map<string, EventHandler[]>
  handle?: (event: DomainEvent) => Promise<unknown>
  messages?: ConsumerMessages
  loop?: Promise<void>
}

/** Durable names allow neither dots nor wildcards: `catalog.cache` becomes `catalog_cache`. */
function durableName(consumer: string): string {
  return consumer.replace(/[^\w-]/g, '_')
}

/**
 * The event bus on NATS JetStream. `publish` resolves when the stream has stored the event (the
 * event id is the `Nats-Msg-Id`, so a re-publish inside the duplicate window is dropped). Each
 * consumer name is one durable pull consumer over the whole stream, with explicit ack and one
 * message in flight, so it sees events in publish order; a failed handler is nak'ed with a delay
 * and redelivered, and `processOnce` skips event ids the consumer already processed.
 */
export function createJetStreamBus(options: JetStreamBusOptions): EventBus & {
  ping(): Promise<void>
} {
  const { url, db, logger } = options
  const { AckPolicy, connect, DeliverPolicy, headers, nanos } = loadNats()
  const stream = options.stream ?? 'EMPORIUM_EVENTS'
  const prefix = options.subjectPrefix ?? 'emporium.events'
  const ackWaitMs = options.ackWaitMs ?? 30_000
  const maxDeliver = options.maxDeliver ?? 10
  const retryDelayMs = options.retryDelayMs ?? 5_000
  const groups = new Map<string, Group>()
  let connection: Promise<NatsConnection> | undefined
  let ready: Promise<JetStreamClient> | undefined
  let stopping = false

  function connected(): Promise<NatsConnection> {
    connection ??= connect({ servers: url, name: 'emporium', maxReconnectAttempts: -1 }).catch(
      (err: unknown) => {
        connection = undefined
        throw err
      },
    )
    return connection
  }

  async function ensureStream(): Promise<JetStreamClient> {
    const nc = await connected()
    const jsm = await nc.jetstreamManager()
    const config = {
      subjects: [`${prefix}.>`],
      duplicate_window: nanos(options.duplicateWindowMs ?? 120_000),
      max_age: nanos((options.maxAgeDays ?? 7) * 86_400_000),
    }
    try {
      await jsm.streams.info(stream)
    } catch (err) {
      if (!/not found/i.test((err as Error).message)) throw err
      await jsm.streams.add({ name: stream, ...config })
    }
    return nc.jetstream()
  }

  function jetstream(): Promise<JetStreamClient> {
    ready ??= ensureStream().catch((err: unknown) => {
      ready = undefined
      throw err
    })
    return ready
  }

  async function deliver(group: Group, message: JsMsg): Promise<void> {
    let event: DomainEvent
    try {
      event = message.json<DomainEvent>()
    } catch {
      logger.error({ subject: message.subject, durable: group.durable }, 'unreadable event')
      return message.term('unreadable')
    }
    if (!group.handlers.has(event.type)) return message.ack()
    // The publish span's context, when tracing: the consumer's span continues it.
    const traceparent = message.headers?.get('traceparent')
    if (traceparent) event = { ...event, traceparent }
    // A long handler tells the server it is still working, so the ack wait does not expire.
    const keepAlive = setInterval(() => message.working(), Math.max(ackWaitMs / 2, 100))
    try {
      await group.handle!(event)
      message.ack()
    } catch (err) {
      const delivery = message.info.redeliveryCount
      const log = { err, eventId: event.id, type: event.type, consumer: group.durable, delivery }
      logger.error(log, 'event handler failed')
      if (delivery >= maxDeliver) {
        logger.error(log, 'event given up after its last delivery')
        message.term('max deliveries')
      } else message.nak(Math.min(retryDelayMs * 2 ** Math.min(delivery - 1, 10), 3_600_000))
    } finally {
      clearInterval(keepAlive)
    }
  }

  async function startGroup(js: JetStreamClient, group: Group): Promise<void> {
    const jsm = await js.jetstreamManager()
    try {
      await jsm.consumers.info(stream, group.durable)
    } catch (err) {
      if (!/not found/i.test((err as Error).message)) throw err
      await jsm.consumers.add(stream, {
        durable_name: group.durable,
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(ackWaitMs),
        max_deliver: maxDeliver,
        // One message in flight keeps per-aggregate (indeed total) order through retries.
        max_ack_pending: 1,
        filter_subject: `${prefix}.>`,
        // Workers create their consumers before their relay publishes, so nothing is missed.
        deliver_policy: DeliverPolicy.New,
      })
    }
    const consumer = await js.consumers.get(stream, group.durable)
    const messages = await consumer.consume({ max_messages: 1 })
    group.messages = messages
    group.loop = (async () => {
      for await (const message of messages) await deliver(group, message)
    })().catch((err: unknown) => logger.error({ err, consumer: group.durable }, 'consumer stopped'))
  }

  return {
    watch(type, listener) {
      let subscription: Subscription | undefined
      let stopped = false
      connected()
        .then((nc) => {
          if (stopped) return
          subscription = nc.subscribe(`${prefix}.${type}`, {
            callback: (err, message) => {
              if (err) return logger.warn({ err, type }, 'event watch failed')
              try {
                listener(message.json<DomainEvent>())
              } catch (error) {
                logger.warn({ err: error, type }, 'event watcher failed')
              }
            },
          })
        })
        .catch((err: unknown) => logger.warn({ err, type }, 'event watch not started'))
      return () => {
        stopped = true
        subscription?.unsubscribe()
      }
    },
    subscribe(type, consumer, handler) {
      if (!/^[\w-]+(\.[\w-]+)*$/.test(type)) throw new Error(`invalid event type "${type}"`)
      const durable = durableName(consumer)
      let group = groups.get(durable)
      if (!group) {
        group = { durable, handlers: new Map() }
        const handlers = group.handlers
        group.handle = processOnce(db, consumer, async (event) => {
          for (const h of handlers.get(event.type) ?? []) await h(event)
        })
        groups.set(durable, group)
      }
      group.handlers.set(type, [...(group.handlers.get(type) ?? []), handler])
    },
    async publish(event) {
      const js = await jetstream()
      const subject = `${prefix}.${event.type}`
      const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject }
      await withSpan(
        `publish ${subject}`,
        attributes,
        async () => {
          const traceparent = currentTraceparent()
          const h = traceparent ? headers() : undefined
          if (traceparent) h!.set('traceparent', traceparent)
          await js.publish(subject, JSON.stringify(event), {
            msgID: event.id,
            expect: { streamName: stream },
            ...(h ? { headers: h } : {}),
          })
        },
        { kind: SpanKind.PRODUCER, childOnly: true },
      )
    },
    async start() {
      stopping = false
      const js = await jetstream()
      for (const group of groups.values()) if (!group.messages) await startGroup(js, group)
    },
    async stop() {
      if (stopping) return
      stopping = true
      for (const group of groups.values()) group.messages?.stop()
      await Promise.all([...groups.values()].map((g) => g.loop))
      for (const group of groups.values()) group.messages = group.loop = undefined
      const nc = await connection?.catch(() => undefined)
      connection = ready = undefined
      if (nc && !nc.isClosed()) await nc.drain()
    },
    async ping() {
      await (await connected()).flush()
    },
  }
}
