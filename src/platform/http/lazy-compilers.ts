import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

type SerializerFactory = ReturnType<typeof SerializerSelector>
type Serializer = ReturnType<ReturnType<SerializerFactory>>
type ValidatorFactory = ReturnType<typeof AjvCompiler>
type Validator = ReturnType<ReturnType<ValidatorFactory>>

/**
 * Fastify's request validators (ajv) and response serializers (fast-json-stringify), compiled
 * when first used instead of at `ready`.
 *
 * Fastify compiles a function for every route's body, query, params and headers and for every
 * response status before it listens: ~0.6 s of an embedded restart (ADR 0014). Here each one
 * compiles on its first use, and `warm()` compiles the rest one per event-loop turn once the
 * server listens, so a schema that cannot compile still shows within seconds of a start (the
 * caller logs it) rather than on some later request. The functions are the ones Fastify's own
 * compilers build, with the same options; only the moment moves.
 *
 * Fastify treats any validator factory passed in as a custom one and then leaves header schemas
 * as written instead of lower-casing their keys: Emporium's header schemas are lower case.
 */
export function lazyCompilers(): {
  buildValidator: ValidatorFactory
  buildSerializer: SerializerFactory
  /** Compiles what no request has used yet; each schema that fails goes to `onError`. */
  warm: (onError: (error: unknown) => void) => Promise<void>
} {
  const pending: (() => unknown)[] = []

  const eagerSerializers = SerializerSelector()
  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    const compile = eagerSerializers(externalSchemas, options)
    return (route) => {
      let compiled: Serializer | undefined
      const get = () => (compiled ??= compile(route))
      pending.push(get)
      return (doc: unknown) => get()(doc)
    }
  }

  const eagerValidators = AjvCompiler()
  const buildValidator = ((externalSchemas, options) => {
    const compile = eagerValidators(externalSchemas, options)
    return (route: Parameters<ReturnType<ValidatorFactory>>[0]) => {
      let compiled: Validator | undefined
      const get = () => (compiled ??= compile(route))
      pending.push(get)
      // Fastify reads `errors` off the function it called, as ajv leaves them there.
      const validate = (data: unknown) => {
        const fn = get()
        const result = fn(data)
        validate.errors = fn.errors
        return result
      }
      validate.errors = undefined as Validator['errors']
      return validate as unknown as Validator
    }
  }) as ValidatorFactory

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
  return { buildValidator, buildSerializer, warm }
}
