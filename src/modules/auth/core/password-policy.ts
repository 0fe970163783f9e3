import { readFileSync } from 'node:fs'
import { AppError } from '../../../platform/errors.js'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js'

/**
 * NIST SP 800-63B §5.1.1.2: length (10..128 characters, counted as code points) and a blocklist
 * of commonly used passwords; no composition rules, no forced rotation. The list ships as a data
 * file (see its header for where it comes from); lines are lower-cased, so is the candidate.
 */
const LIST_FILE = new URL('./common-passwords.txt', import.meta.url)

let common: ReadonlySet<string> | undefined

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(LIST_FILE, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  )
  return common
}

/** Names and words every attacker tries first against this service in particular. */
const CONTEXT_WORDS = ['emporium']

export interface PasswordContext {
  /** Where the password sits in the request, for `errors[].path` (default `/body/password`). */
  path?: string
  /** The account's email: a password equal to it, or to its local part, is refused. */
  email?: string
}

function tooCommon(password: string, email: string | undefined): boolean {
  const candidate = password.normalize('NFKC').toLowerCase()
  if (commonPasswords().has(candidate)) return true
  const squeezed = candidate.replace(/[\s\d\W_]+/g, '')
  if (CONTEXT_WORDS.some((w) => squeezed === w || squeezed === `${w}${w}`)) return true
  if (!email) return false
  const address = email.toLowerCase()
  return candidate === address || candidate === address.split('@')[0]
}

/** The policy error for `password`, or undefined when it is acceptable. */
export function passwordPolicyError(
  password: string,
  context: PasswordContext = {},
): AppError | undefined {
  const path = context.path ?? '/body/password'
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    return new AppError({
      kind: 'validation',
      code: 'validation_failed',
      title: 'Invalid request',
      detail: 'The password does not meet the password policy.',
      errors: [
        {
          path,
          message: `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
        },
      ],
    })
  }
  if (tooCommon(password, context.email)) {
    return new AppError({
      kind: 'validation',
      code: 'password_too_common',
      title: 'Password too common',
      detail: 'This password is on a list of commonly used passwords; choose another one.',
      errors: [{ path, message: 'is too common' }],
    })
  }
  return undefined
}

/**
 * Throws the policy error, if any. For register, reset and (exported through the module's door)
 * password change.
 */
export function assertPasswordAllowed(password: string, context: PasswordContext = {}): void {
  const error = passwordPolicyError(password, context)
  if (error) throw error
}
