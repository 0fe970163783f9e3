import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2'
import { randomToken } from '../../../platform/crypto.js'

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 128

// The package declares its algorithms as an ambient const enum, which isolated modules cannot
// read at runtime; 2 is the value it documents for argon2id.
const ARGON2ID = 2 as Algorithm.Argon2id

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane), written out so that a change of library
// defaults cannot silently weaken new hashes.
const ARGON2: Options = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
}

/** Why the password breaks the policy, or undefined when it is acceptable. */
export function passwordPolicyViolation(password: string): string | undefined {
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`
  return undefined
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2)
}

/** False for a wrong password and for a hash that cannot be parsed. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/**
 * A hash of a random password with the same parameters as real ones, made once per service.
 * Login verifies against it when the email is unknown, so both failures cost one verification.
 */
export function createDummyHash(): () => Promise<string> {
  let dummy: Promise<string> | undefined
  return () => {
    if (!dummy) {
      const making = hashPassword(randomToken())
      dummy = making
      making.catch(() => {
        if (dummy === making) dummy = undefined
      })
    }
    return dummy
  }
}
