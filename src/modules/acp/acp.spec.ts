import { readFileSync } from 'node:fs'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/** The ACP version served at /acp: its JSON Schema bundle is vendored in `spec/`. */
export const ACP_VERSION = '2026-04-17'

const bundle = JSON.parse(
  readFileSync(new URL('./spec/schema.agentic_checkout.json', import.meta.url), 'utf8'),
) as { $id: string }

const ajv = new Ajv2020({ strict: false, allErrors: false })
addFormats.default(ajv)
ajv.addSchema(bundle)

const compiled = new Map<string, ValidateFunction>()

/** The validator of one `$defs` entry of the checkout bundle (compiled on first use). */
function validatorOf(name: string): ValidateFunction {
  let validate = compiled.get(name)
  if (!validate) {
    validate = ajv.getSchema(`${bundle.$id}#/$defs/${name}`)
    if (!validate) throw new Error(`no ACP schema named ${name}`)
    compiled.set(name, validate)
  }
  return validate
}

/** RFC 9535 JSONPath of an Ajv error (the field at fault, or the member that is missing). */
function jsonPath(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  const missing = (error.params as { missingProperty?: string }).missingProperty
  const extra = (error.params as { additionalProperty?: string }).additionalProperty
  const leaf = missing ?? extra
  return [...segments, ...(leaf ? [leaf] : [])].reduce(
    (path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : `${path}.${s}`),
    '$',
  )
}

export interface SpecViolation {
  param: string
  message: string
}

/** Checks `value` against the named ACP schema: the first violation, or null when it conforms. */
export function specViolation(name: string, value: unknown): SpecViolation | null {
  const validate = validatorOf(name)
  if (validate(value)) return null
  const error = validate.errors?.[0]
  if (!error) return { param: '$', message: 'does not match the schema' }
  const extra = (error.params as { additionalProperty?: string }).additionalProperty
  return {
    param: jsonPath(error),
    message: extra ? 'is not a field of this request' : (error.message ?? 'is invalid'),
  }
}
