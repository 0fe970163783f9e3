import { randomBytes } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { sha256 } from '../../../platform/crypto.js'

export const TOTP_PERIOD_SECONDS = 30
/** Codes from one step before or after the server's are accepted (clock drift). */
export const TOTP_DRIFT_STEPS = 1
export const RECOVERY_CODE_COUNT = 10
const TOTP_ISSUER = 'Emporium'

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'

/** A new random TOTP secret, base32 (160 bits, RFC 4226's recommended size). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

function totpFor(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  })
}

export function otpauthUrl(secret: string, label: string): string {
  return totpFor(secret, label).toString()
}

/**
 * The time step the code belongs to, within the drift window, or undefined when it matches none.
 * The caller refuses a step at or before the last one used (replay within the window).
 */
export function totpStepOf(secret: string, code: string, now = Date.now()): number | undefined {
  const delta = totpFor(secret, '').validate({
    token: code,
    timestamp: now,
    window: TOTP_DRIFT_STEPS,
  })
  if (delta === null) return undefined
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta
}

export const isTotpCode = (code: string): boolean => /^\d{6}$/.test(code)

/**
 * Ten codes of 16 Crockford base32 characters (80 random bits) each, shown as `xxxx-xxxx-xxxx-xxxx`.
 * That much entropy makes a fast hash safe to store and lets a code be found by an index probe
 * instead of ten argon2 verifications per attempt.
 */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(16)
    const chars = [...bytes].map((b) => CROCKFORD[b & 31]).join('')
    return chars.match(/.{4}/g)!.join('-')
  })
}

/** Case, spaces and dashes do not matter; Crockford's look-alikes (o, i, l) read as 0 and 1. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1')
}

export const hashRecoveryCode = (code: string): string => sha256(normalizeRecoveryCode(code))
