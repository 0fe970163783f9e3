import { createHmac, timingSafeEqual } from 'node:crypto'
import { canonicalJson } from '../../platform/http/idempotency.js'

/** How far a request's `Timestamp` may be from our clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300

/**
 * The `Signature` an agent sends: base64url of HMAC-SHA256, keyed with the shared secret, over
 * `<Timestamp header>.<canonical JSON of the body>` (keys sorted at every depth, no spaces; an
 * empty string for a request without a body).
 */
export function requestSignature(secret: string, timestamp: string, body: unknown): string {
  const payload = `${timestamp}.${body === undefined ? '' : canonicalJson(body)}`
  return createHmac('sha256', secret).update(payload).digest('base64url')
}

/** Why a request's signature is refused, or null when it verifies (constant-time compare). */
export function signatureProblem(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
  now = Date.now(),
): string | null {
  const { signature, timestamp } = headers
  if (typeof signature !== 'string' || typeof timestamp !== 'string')
    return 'Signature and Timestamp headers are required.'
  const at = Date.parse(timestamp)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(timestamp) || Number.isNaN(at))
    return 'Timestamp must be an RFC 3339 date-time.'
  if (Math.abs(now - at) > SIGNATURE_TOLERANCE_SECONDS * 1000)
    return 'Timestamp outside allowed window.'
  const expected = Buffer.from(requestSignature(secret, timestamp, body))
  const sent = Buffer.from(signature.trim())
  const valid = sent.length === expected.length && timingSafeEqual(sent, expected)
  return valid ? null : 'Signature verification failed.'
}
