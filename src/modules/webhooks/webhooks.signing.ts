import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

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
 * Seals signing secrets at rest with AES-256-GCM under WEBHOOK_ENCRYPTION_KEY, bound to the
 * endpoint id. They cannot be hashed (the HMAC needs them), so without a key they are `plain.`.
 */
export interface SecretBox {
  seal(endpointId: string, secret: string): string
  open(endpointId: string, stored: string): string
}

export function createSecretBox(base64Key: string | undefined): SecretBox {
  const key = base64Key ? Buffer.from(base64Key, 'base64') : undefined
  return {
    seal(endpointId, secret) {
      if (!key) return `plain.${secret}`
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(endpointId))
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
      return ['v1', iv, body, cipher.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.')
    },
    open(endpointId, stored) {
      const [version, a, b, c] = stored.split('.')
      if (version === 'plain' && a) return stored.slice('plain.'.length)
      if (version !== 'v1' || !a || !b || !c) throw new Error('webhooks: unknown secret format')
      if (!key) throw new Error('webhooks: secret is sealed but WEBHOOK_ENCRYPTION_KEY is not set')
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(a, 'base64url'))
      decipher.setAAD(Buffer.from(endpointId)).setAuthTag(Buffer.from(c, 'base64url'))
      const plain = Buffer.concat([decipher.update(Buffer.from(b, 'base64url')), decipher.final()])
      return plain.toString('utf8')
    },
  }
}
