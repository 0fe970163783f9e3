import { AjvCompiler } from '@fastify/ajv-compiler'
import type { Static, TSchema } from '@sinclair/typebox'
import { CommonErrors } from '../errors.js'

/** Checks a value against a route's TypeBox schema; throws `validation_failed` as REST does. */
export type InputValidator = <S extends TSchema>(
  schema: S,
  value: unknown,
  path: string,
) => Static<S>

/**
 * Validation for transports that are not REST routes (GraphQL arguments, MCP tool arguments):
 * the same Ajv options and shared schemas as the routes, and the same `errors` (JSON pointers
 * under `path`). `url` names the caller for the compiler. Each schema is compiled once.
 */
export function inputValidator(schemas: readonly TSchema[], url: string): InputValidator {
  const external = Object.fromEntries(schemas.map((s) => [s.$id as string, s]))
  const compile = AjvCompiler()(external, {
    customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true },
  })
  const compiled = new WeakMap<TSchema, ReturnType<typeof compile>>()
  return (schema, value, path) => {
    let check = compiled.get(schema)
    if (!check) {
      check = compile({ schema, method: 'POST', url, httpPart: 'body' })
      compiled.set(schema, check)
    }
    if (check(value)) return value as never
    const errors = (check.errors ?? []).map((e) => {
      const params = e.params as { missingProperty?: string; additionalProperty?: string }
      const leaf = params.missingProperty ?? params.additionalProperty
      return {
        path: `${path}${e.instancePath}${leaf ? `/${leaf}` : ''}`,
        message: params.additionalProperty ? 'is not a known field' : (e.message ?? 'is invalid'),
      }
    })
    throw CommonErrors.validation(errors)
  }
}
