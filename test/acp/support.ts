import { readFileSync } from 'node:fs'
import type { LightMyRequestResponse } from 'fastify'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { TestContext } from '../helpers/context.js'
import { requestSignature } from '../../src/modules/acp/acp.signing.js'

export const API_VERSION = '2026-04-17'

function bundle(file: string) {
  const url = new URL(`../../src/modules/acp/spec/${file}`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as { $id: string }
}

const checkoutBundle = bundle('schema.agentic_checkout.json')
const feedBundle = bundle('schema.feed.json')
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addSchema(checkoutBundle)
ajv.addSchema(feedBundle)

/** The validator of a `$defs` entry of the vendored checkout (or feed) JSON Schema bundle. */
export function specSchema(name: string, feed = false): ValidateFunction {
  const id = feed ? feedBundle.$id : checkoutBundle.$id
  const validate = ajv.getSchema(`${id}#/$defs/${name}`)
  if (!validate) throw new Error(`no schema ${name}`)
  return validate
}

/** Asserts that `body` is a valid instance of the named spec schema (the errors in the message). */
export function assertConforms(name: string, body: unknown, feed = false): void {
  const validate = specSchema(name, feed)
  if (!validate(body))
    throw new Error(`${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`)
}

/** An admin's API key holding `scopes`: the agent platform's credential. */
export async function apiKey(ctx: TestContext, scopes: string[]): Promise<string> {
  const admin = await ctx.tokenFor('admin')
  const res = await ctx.as(admin).post('/v1/admin/api-keys', { name: 'Agent platform', scopes })
  if (res.statusCode !== 201) throw new Error(`api key: ${res.body}`)
  return (res.json() as { key: string }).key
}

let counter = 0
export const newKey = () => `idem-${process.pid}-${Date.now()}-${counter++}`

export interface AgentOptions {
  idempotencyKey?: string | null
  signingSecret?: string
  headers?: Record<string, string>
}

/** An agent platform calling /acp with its key: API-Version and a fresh Idempotency-Key on POST. */
export function agent(ctx: TestContext, key: string | null) {
  const call = (method: 'GET' | 'POST', url: string, body?: object, options: AgentOptions = {}) => {
    const idempotency =
      method === 'POST' && options.idempotencyKey !== null
        ? { 'idempotency-key': options.idempotencyKey ?? newKey() }
        : {}
    const timestamp = new Date().toISOString()
    const signed = options.signingSecret
      ? {
          timestamp,
          signature: requestSignature(options.signingSecret, timestamp, body),
        }
      : {}
    return ctx.app.inject({
      method,
      url,
      headers: {
        'api-version': API_VERSION,
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...idempotency,
        ...signed,
        ...options.headers,
      },
      ...(body ? { payload: body as Record<string, unknown> } : {}),
    })
  }
  return {
    get: (url: string, options?: AgentOptions) => call('GET', url, undefined, options),
    post: (url: string, body: object, options?: AgentOptions) => call('POST', url, body, options),
  }
}

export const ADDRESS = {
  name: 'Ada Lovelace',
  line_one: '12 Analytical Street',
  city: 'Berlin',
  state: 'BE',
  country: 'DE',
  postal_code: '10115',
}

export function createBody(itemIds: string[], extra: Record<string, unknown> = {}) {
  return {
    line_items: itemIds.map((id) => ({ id })),
    currency: 'eur',
    capabilities: {},
    ...extra,
  }
}

export const COMPLETE_BODY = {
  buyer: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test' },
  payment_data: {
    handler_id: 'card',
    instrument: { type: 'card', credential: { type: 'spt', token: 'tok_visa' } },
  },
}

export type Session = {
  id: string
  status: string
  currency: string
  line_items: { id: string; item: { id: string }; quantity: number; unit_amount: number }[]
  totals: { type: string; amount: number }[]
  fulfillment_options: { id: string; totals: { amount: number }[] }[]
  selected_fulfillment_options: { option_id: string }[]
  messages: { type: string; code?: string; param?: string }[]
  order?: { id: string; status: string; checkout_session_id: string }
}

export const sessionOf = (res: LightMyRequestResponse) => res.json() as Session
export const totalOf = (s: Session, type: string) => s.totals.find((t) => t.type === type)?.amount
