import { isIP } from 'node:net'
import { secretKeyFromBase64, type SecretKey } from './platform/crypto.js'

// Reading one environment variable: typed, validated, and a one-line error naming it.

/** One line, naming the variable and what is wrong: printed as-is and the process exits. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`)
    this.name = 'ConfigError'
  }
}

export type Env = Record<string, string | undefined>

export function str(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name)
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${raw}")`)
  }
  return Number(raw)
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase()
  if (raw === undefined) return fallback
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw new ConfigError(name, `must be true or false (got "${raw}")`)
}

export function url(name: string, raw: string, protocols: string[]): string {
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(' or ')})`)
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')} (got "${parsed.protocol}")`)
  }
  return raw
}

export function list(env: Env, name: string): string[] {
  return (str(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/

/**
 * `<base64>` or `<id>:<base64>,<id>:<base64>,…`: the first key seals, every one opens. A key
 * without an id is named by its fingerprint (`secretKeyFromBase64`), as before ids could be given.
 * Messages never echo a key.
 */
export function encryptionKeys(env: Env, name: string): readonly SecretKey[] {
  const keys = list(env, name).map((entry, index) => {
    const colon = entry.indexOf(':')
    const id = colon === -1 ? undefined : entry.slice(0, colon)
    const base64 = entry.slice(colon + 1)
    if (Buffer.from(base64, 'base64').length !== 32) {
      throw new ConfigError(
        name,
        `key ${index + 1} must be 32 bytes in base64, as [id:]<base64> (openssl rand -base64 32)`,
      )
    }
    if (id === undefined) return Object.freeze(secretKeyFromBase64(base64))
    if (!KEY_ID.test(id)) {
      throw new ConfigError(name, `key ${index + 1} has an invalid id (a-z, A-Z, 0-9, _ and -)`)
    }
    return Object.freeze({ id, key: base64 })
  })
  const ids = keys.map((k) => k.id)
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index)
  if (repeated !== undefined) throw new ConfigError(name, `names key id "${repeated}" twice`)
  return Object.freeze(keys)
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128)
}

/**
 * `TRUST_PROXY`: off (unset, `false`, `0`), a hop count, a list of proxy addresses or CIDRs, or
 * `true` (any sender, which lets every client pick its own address: refused in production).
 */
export function trustProxySetting(env: Env): boolean | number | readonly string[] {
  const raw = str(env, 'TRUST_PROXY')
  if (raw === undefined || raw.toLowerCase() === 'false' || raw === '0') return false
  if (raw.toLowerCase() === 'true') return true
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 1, 100)
  const entries = list(env, 'TRUST_PROXY')
  const bad = entries.find((entry) => !isAddressOrCidr(entry))
  if (bad !== undefined) {
    throw new ConfigError(
      'TRUST_PROXY',
      `has "${bad}", which is not an IP address or CIDR (e.g. 10.0.0.0/8); or give a hop count`,
    )
  }
  return Object.freeze(entries)
}

/** The Agentic Commerce Protocol's secrets and the agent platform's webhook receiver. */
export interface AcpConfig {
  /** `ACP_SIGNING_SECRET`: verifies the `Signature` of every /acp request; unset: not checked. */
  readonly signingSecret: string | undefined
  /** `ACP_WEBHOOK_URL`: the agent platform's order-events receiver; unset: no order events. */
  readonly webhookUrl: string | undefined
  /** `ACP_WEBHOOK_SECRET`: the key of the `Merchant-Signature` those events carry. */
  readonly webhookSecret: string | undefined
}

export function acpSettings(env: Env): AcpConfig {
  const secret = (name: string) => {
    const value = str(env, name)
    if (value !== undefined && value.length < 16)
      throw new ConfigError(name, 'must be at least 16 characters')
    return value
  }
  const rawUrl = str(env, 'ACP_WEBHOOK_URL')
  const webhookUrl = rawUrl ? url('ACP_WEBHOOK_URL', rawUrl, ['http:', 'https:']) : undefined
  const webhookSecret = secret('ACP_WEBHOOK_SECRET')
  if (webhookUrl && !webhookSecret)
    throw new ConfigError('ACP_WEBHOOK_SECRET', 'must be set with ACP_WEBHOOK_URL')
  return Object.freeze({ signingSecret: secret('ACP_SIGNING_SECRET'), webhookUrl, webhookSecret })
}
