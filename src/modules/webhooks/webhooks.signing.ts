import { createHmac, randomBytes } from 'node:crypto'

const PREFIX = 'whsec_'

/** A new signing secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export function newSigningSecret(): string {
  return PREFIX + randomBytes(32).toString('base64')
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the secret's decoded bytes. */
export function signatureFor(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64')
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return `v1,${mac}`
}

/** Space-separated `v1,` signatures, one per secret (the new and, during an overlap, the old). */
export function signaturesFor(
  secrets: string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  return secrets.map((secret) => signatureFor(secret, id, timestamp, body)).join(' ')
}

/**
 * The Agentic Commerce Protocol's `Merchant-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">`, keyed with the secret's UTF-8 bytes (the agent platform's shared secret).
 */
export function merchantSignature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  return `t=${timestamp},v1=${mac}`
}
