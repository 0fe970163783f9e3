import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

type SerializerFactory = ReturnType<typeof SerializerSelector>
type Serializer = ReturnType<ReturnType<SerializerFactory>>

/**
 * Fastify's response serializers, compiled when first used instead of at `ready`.
 *
 * Fastify compiles a fast-json-stringify function for every route and status code before it
 * listens: about 0.4 s of an embedded restart (ADR 0014). Here each one compiles on its first
 * reply, and `warm()` compiles the rest one per event-loop turn once the server listens, so a
 * schema that cannot compile still shows within seconds of a start (logged by the caller) rather
 * than on some later request. The compiled functions are the same; only the moment moves.
 */
export function lazySerializers(): {
  factory: SerializerFactory
  /** Compiles what no reply has used yet; each schema that fails goes to `onError`. */
  warm: (onError: (error: unknown) => void) => Promise<void>
} {
  const eager = SerializerSelector()
  const pending: (() => Serializer)[] = []
  const factory: SerializerFactory = (externalSchemas, options) => {
    const compile = eager(externalSchemas, options)
    return (route) => {
      let compiled: Serializer | undefined
      const get = () => (compiled ??= compile(route))
      pending.push(get)
      return (doc: unknown) => get()(doc)
    }
  }
  const warm = async (onError: (error: unknown) => void) => {
    while (pending.length > 0) {
      await new Promise((resolve) => setImmediate(resolve))
      try {
        pending.shift()!()
      } catch (error) {
        onError(error)
      }
    }
  }
  return { factory, warm }
}
