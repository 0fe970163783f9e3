import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { narrow, type Emit, type UnitOfWork } from '../../../platform/db/unit-of-work.js'
import { newId } from '../../../shared/ids.js'
import { AuthErrors } from './auth.errors.js'
import { toPublicUser } from './auth.mappers.js'
import { customerCreated } from './auth.events.js'
import {
  adminExists,
  findCredentialsByEmail,
  findUserById,
  insertUserUnlessEmailTaken,
  userExistsWithEmail,
  type AuthDb,
  type User,
} from './auth.repo.js'
import { LOGIN_EMAIL, type LoginInput, type PublicUser, type RegisterInput } from './auth.schema.js'
import type { AuthTables } from './auth.tables.js'
import { assertPasswordAllowed } from './password-policy.js'
import {
  createDummyHash,
  hashPassword,
  passwordPolicyViolation,
  verifyPassword,
} from './passwords.js'
import type { MfaChallenge, MfaGate } from '../mfa/mfa.service.js'
import type { Role } from './permissions.js'
import type { ClientInfo, SessionService, SessionTokens } from '../sessions/sessions.service.js'
import type { PublicJwk, TokenService } from './tokens.js'

export type CreateUserInput = RegisterInput & { role: Role }

/** The auth module's API, shared by REST, the CLI and other modules. */
export interface AuthService {
  /** Self-service sign-up: always a customer. */
  register(input: RegisterInput): Promise<PublicUser>
  /**
   * Checks the password and opens a session (refresh-token family) for this client, or answers
   * an MFA challenge when the account has a second factor.
   */
  login(input: LoginInput, client?: ClientInfo): Promise<SessionTokens | MfaChallenge>
  getMe(userId: string): Promise<PublicUser>
  /** Any role; for operators, tests and staff invitations. */
  createUser(input: CreateUserInput): Promise<PublicUser>
  /** Creates the admin unless the email exists; true when it created it. */
  ensureAdmin(email: string, password: string): Promise<boolean>
  /**
   * The operator's `admin create`: an email that already has an account is refused
   * (email_taken), as are an address sign-in would not accept and a password the policy refuses.
   */
  createAdmin(email: string, password: string): Promise<PublicUser>
  /** Whether the store has an admin account yet (the start's hint when it has none). */
  hasAdmin(): Promise<boolean>
  /** Public halves of the token signing keys (JWKS). */
  publicKeys(): Promise<PublicJwk[]>
}

export interface AuthServiceDeps {
  db: AuthDb
  uow: UnitOfWork
  tokens: TokenService
  sessions: SessionService
  logger: Logger
  /** Asks for the second factor before a session opens; absent: password alone signs in. */
  mfa?: MfaGate
}

/** Addresses compare case-insensitively, so only one spelling of each is ever stored. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * Inserts a user inside the caller's transaction (registration, staff invitation); undefined
 * when the email is taken. A new customer is announced for the welcome mail and the profile.
 */
export async function insertNewUser(
  trx: Transaction<unknown>,
  emit: Emit,
  user: { email: string; name: string; role: Role; passwordHash: string },
): Promise<User | undefined> {
  const inserted = await insertUserUnlessEmailTaken(narrow<AuthTables>(trx), {
    id: newId('usr'),
    email: normalizeEmail(user.email),
    name: user.name.trim(),
    role: user.role,
    passwordHash: user.passwordHash,
  })
  if (inserted?.role === 'customer') {
    emit(customerCreated({ userId: inserted.id, email: inserted.email, name: inserted.name }))
  }
  return inserted
}

export function createAuthService(deps: AuthServiceDeps): AuthService {
  const { db, uow, tokens, sessions, logger } = deps
  const dummyPasswordHash = createDummyHash()
  // Made now so that the first login for an unknown email is not the slow one.
  void dummyPasswordHash().catch(() => undefined)

  /** Undefined when the email is taken; callers decide whether that is an error. */
  async function insertUser(input: CreateUserInput): Promise<User | undefined> {
    const violation = passwordPolicyViolation(input.password)
    if (violation) throw AuthErrors.weakPassword(violation)
    assertPasswordAllowed(input.password, { email: input.email })
    // Hashing is slow CPU work: do it before the transaction holds a connection.
    const passwordHash = await hashPassword(input.password)
    const { email, name, role } = input
    const user = await uow.run((trx, emit) =>
      insertNewUser(trx, emit, { email, name, role, passwordHash }),
    )
    if (user) logger.info({ userId: user.id, role: user.role }, 'user created')
    return user
  }

  async function createUser(input: CreateUserInput): Promise<PublicUser> {
    const user = await insertUser(input)
    if (!user) throw AuthErrors.emailTaken()
    return toPublicUser(user)
  }

  return {
    register: (input) => createUser({ ...input, role: 'customer' }),
    createUser,

    async login({ email, password }, client = { ip: null, userAgent: null }) {
      const found = await findCredentialsByEmail(db, normalizeEmail(email))
      // An unknown email costs the same argon2 verification as a wrong password.
      const valid = await verifyPassword(
        found?.passwordHash ?? (await dummyPasswordHash()),
        password,
      )
      if (!found || !valid) throw AuthErrors.invalidCredentials()
      const { user } = found
      if (user.status !== 'active') throw AuthErrors.accountDisabled()
      const challenge = await deps.mfa?.challengeFor(user)
      if (challenge) return challenge
      const started = await sessions.start(user, client)
      logger.info({ userId: user.id }, 'user signed in')
      return started
    },

    async getMe(userId) {
      const user = await findUserById(db, userId)
      if (!user) throw AuthErrors.userNotFound(userId)
      return toPublicUser(user)
    },

    async ensureAdmin(email, password) {
      if (await userExistsWithEmail(db, normalizeEmail(email))) return false
      // Another process may win the race between the check and the insert: that is not an error.
      const user = await insertUser({ email, password, name: 'Administrator', role: 'admin' })
      return user !== undefined
    },

    async createAdmin(email, password) {
      // The address rule of sign-in and ADMIN_EMAIL: admin@localhost is a valid admin.
      if (email.length > 254 || !new RegExp(LOGIN_EMAIL).test(email.trim())) {
        throw AuthErrors.invalidEmail()
      }
      if (await userExistsWithEmail(db, normalizeEmail(email))) throw AuthErrors.emailTaken()
      return createUser({ email: email.trim(), password, name: 'Administrator', role: 'admin' })
    },

    hasAdmin: () => adminExists(db),

    publicKeys: () => tokens.publicKeys(),
  }
}
