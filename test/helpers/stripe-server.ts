import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'

/**
 * A local Stripe-compatible API for tests: only what the Stripe provider calls (PaymentIntents
 * create / retrieve / confirm / capture / cancel, refunds create), form-encoded as the SDK sends
 * them, with `Idempotency-Key` replays. Test PaymentMethods behave as Stripe's: `pm_card_visa`
 * authorizes, `pm_card_chargeDeclined` declines (402 card_error), `pm_card_threeDSecure2Required`
 * needs 3-D Secure (`completeAction` plays the customer). State changes queue signed events.
 */
export interface StripeIntent {
  id: string
  object: 'payment_intent'
  amount: number
  amount_capturable: number
  amount_received: number
  currency: string
  capture_method: string
  status: string
  client_secret: string
  last_payment_error: { type: string; code: string; decline_code?: string } | null
  latest_charge: string | null
  metadata: Record<string, string>
  next_action: { type: 'use_stripe_sdk'; use_stripe_sdk: Record<string, never> } | null
  payment_method: string | null
  livemode: false
  created: number
}

interface Charge {
  id: string
  object: 'charge'
  amount: number
  amount_refunded: number
  payment_intent: string
}

export interface StripeServer {
  url: string
  intents: Map<string, StripeIntent>
  /** Every request: method, path and its Idempotency-Key. */
  requests: { method: string; path: string; idempotencyKey: string | undefined }[]
  /** Events queued by state changes, signed with the webhook secret, not yet delivered. */
  events: SignedEvent[]
  /** The customer finishes (or fails) 3-D Secure for an intent in `requires_action`. */
  completeAction(intentId: string, succeed: boolean): void
  /** A signed event of `type` about the intent, as Stripe would post it. */
  signedEvent(type: string, intentId: string, secret?: string): SignedEvent
  close(): Promise<void>
}

export interface SignedEvent {
  type: string
  payload: string
  headers: Record<string, string>
}

type Params = Record<string, string | Record<string, string>>

/** `a=1&metadata[k]=v&expand[0]=x`: one level of brackets, what the provider sends. */
function parseForm(body: string): Params {
  const params: Params = {}
  for (const [key, value] of new URLSearchParams(body)) {
    const nested = /^([^[]+)\[([^\]]*)\]$/.exec(key)
    if (!nested) params[key] = value
    else {
      const outer = (params[nested[1]!] ??= {}) as Record<string, string>
      outer[nested[2]!] = value
    }
  }
  return params
}

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message))
  }
}

const invalid = (code: string, message: string) =>
  new StripeApiError(400, { type: 'invalid_request_error', code, message })

export async function startStripeServer(options: {
  secretKey: string
  webhookSecret: string
}): Promise<StripeServer> {
  const stripe = new Stripe(options.secretKey)
  const intents = new Map<string, StripeIntent>()
  const charges = new Map<string, Charge>()
  const replies = new Map<string, { request: string; status: number; body: string }>()
  const requests: StripeServer['requests'] = []
  const events: SignedEvent[] = []
  const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`

  function signedEvent(type: string, intentId: string, secret = options.webhookSecret) {
    const payload = JSON.stringify({
      id: id('evt'),
      object: 'event',
      type,
      data: { object: intents.get(intentId) },
      created: Math.floor(Date.now() / 1000),
      livemode: false,
    })
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret })
    return {
      type,
      payload,
      headers: { 'stripe-signature': header, 'content-type': 'application/json; charset=utf-8' },
    }
  }
  const emit = (type: string, intent: StripeIntent) => events.push(signedEvent(type, intent.id))

  function intentOf(intentId: string) {
    const intent = intents.get(intentId)
    if (!intent) throw invalid('resource_missing', `No such payment_intent: '${intentId}'`)
    return intent
  }

  function view(intent: StripeIntent, expand: string[]) {
    if (!expand.includes('latest_charge') || !intent.latest_charge) return intent
    return { ...intent, latest_charge: charges.get(intent.latest_charge) }
  }

  function authorized(intent: StripeIntent) {
    const charge: Charge = {
      id: id('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_refunded: 0,
      payment_intent: intent.id,
    }
    charges.set(charge.id, charge)
    Object.assign(intent, {
      status: 'requires_capture',
      amount_capturable: intent.amount,
      latest_charge: charge.id,
      next_action: null,
    })
    emit('payment_intent.amount_capturable_updated', intent)
  }

  function confirm(intent: StripeIntent, params: Params) {
    if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status))
      throw invalid('payment_intent_unexpected_state', `status is ${intent.status}`)
    const method = String(params.payment_method ?? intent.payment_method)
    if (!method.startsWith('pm_card_'))
      throw invalid('resource_missing', `No such PaymentMethod: '${method}'`)
    intent.payment_method = method
    if (method === 'pm_card_chargeDeclined') {
      const error = { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' }
      Object.assign(intent, { status: 'requires_payment_method', last_payment_error: error })
      emit('payment_intent.payment_failed', intent)
      throw new StripeApiError(402, {
        ...error,
        message: 'Your card was declined.',
        payment_intent: intent,
      })
    }
    if (method === 'pm_card_threeDSecure2Required') {
      Object.assign(intent, {
        status: 'requires_action',
        next_action: { type: 'use_stripe_sdk', use_stripe_sdk: {} },
      })
      return intent
    }
    authorized(intent)
    return intent
  }

  function refund(params: Params) {
    const intent = intentOf(String(params.payment_intent))
    if (intent.status !== 'succeeded' || !intent.latest_charge)
      throw invalid('charge_not_captured', 'This PaymentIntent has no captured charge.')
    const charge = charges.get(intent.latest_charge)!
    const left = intent.amount_received - charge.amount_refunded
    if (left === 0) throw invalid('charge_already_refunded', 'Charge has already been refunded.')
    const amount = params.amount === undefined ? left : Number(params.amount)
    if (amount > left) throw invalid('amount_too_large', `Refund amount is greater than ${left}.`)
    charge.amount_refunded += amount
    return {
      id: id('re'),
      object: 'refund',
      amount,
      payment_intent: intent.id,
      status: 'succeeded',
    }
  }

  function route(method: string, path: string, params: Params): unknown {
    const expand = Object.values((params.expand as Record<string, string>) ?? {})
    if (method === 'POST' && path === '/v1/payment_intents') {
      const intent: StripeIntent = {
        id: id('pi'),
        object: 'payment_intent',
        amount: Number(params.amount),
        amount_capturable: 0,
        amount_received: 0,
        currency: String(params.currency),
        capture_method: String(params.capture_method ?? 'automatic'),
        status: 'requires_payment_method',
        client_secret: '',
        last_payment_error: null,
        latest_charge: null,
        metadata: (params.metadata as Record<string, string>) ?? {},
        next_action: null,
        payment_method: null,
        livemode: false,
        created: Math.floor(Date.now() / 1000),
      }
      intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`
      intents.set(intent.id, intent)
      return intent
    }
    if (method === 'POST' && path === '/v1/refunds') return refund(params)
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(confirm|capture|cancel))?$/.exec(path)
    if (!match) throw new StripeApiError(404, { type: 'invalid_request_error', message: path })
    const intent = intentOf(match[1]!)
    const action = match[2]
    if (method === 'GET' && !action) return view(intent, expand)
    if (method !== 'POST') throw invalid('method', method)
    if (action === 'confirm') return view(confirm(intent, params), expand)
    if (action === 'capture') {
      if (intent.status !== 'requires_capture')
        throw invalid('payment_intent_unexpected_state', `status is ${intent.status}`)
      Object.assign(intent, {
        status: 'succeeded',
        amount_received: intent.amount_capturable,
        amount_capturable: 0,
      })
      emit('payment_intent.succeeded', intent)
      return view(intent, expand)
    }
    const cancelable = ['requires_payment_method', 'requires_capture', 'requires_confirmation']
    if (!cancelable.includes(intent.status) && intent.status !== 'requires_action')
      throw invalid('payment_intent_unexpected_state', `status is ${intent.status}`)
    Object.assign(intent, { status: 'canceled', amount_capturable: 0, next_action: null })
    emit('payment_intent.canceled', intent)
    return view(intent, expand)
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let body = ''
    for await (const chunk of req) body += String(chunk)
    const url = new URL(req.url ?? '/', 'http://stripe.local')
    const method = req.method ?? 'GET'
    const key = req.headers['idempotency-key'] as string | undefined
    requests.push({ method, path: url.pathname, idempotencyKey: key })
    const send = (status: number, text: string, replayed = false) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': id('req'),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      })
      res.end(text)
    }
    if (req.headers.authorization !== `Bearer ${options.secretKey}`) {
      const error = { type: 'invalid_request_error', message: 'Invalid API Key provided' }
      return send(401, JSON.stringify({ error }))
    }
    const fingerprint = `${method} ${url.pathname} ${body}`
    const earlier = key && method === 'POST' ? replies.get(key) : undefined
    if (earlier && earlier.request !== fingerprint) {
      const error = {
        type: 'idempotency_error',
        message:
          'Keys for idempotent requests can only be used with the same parameters they were first used with.',
      }
      return send(400, JSON.stringify({ error }))
    }
    if (earlier) return send(earlier.status, earlier.body, true)
    const params = parseForm(method === 'GET' ? url.search.slice(1) : body)
    let status = 200
    let text: string
    try {
      text = JSON.stringify(route(method, url.pathname, params))
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err
      status = err.status
      text = JSON.stringify({ error: err.body })
    }
    if (key && method === 'POST') replies.set(key, { request: fingerprint, status, body: text })
    send(status, text)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    intents,
    requests,
    events,
    signedEvent,
    completeAction(intentId, succeed) {
      const intent = intentOf(intentId)
      if (intent.status !== 'requires_action') throw new Error(`${intentId} is ${intent.status}`)
      if (succeed) return authorized(intent)
      Object.assign(intent, {
        status: 'requires_payment_method',
        next_action: null,
        last_payment_error: {
          type: 'card_error',
          code: 'payment_intent_authentication_failure',
        },
      })
      emit('payment_intent.payment_failed', intent)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
