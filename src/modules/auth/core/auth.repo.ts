import { sql, type Kysely, type Selectable } from 'kysely'
import type { JWK } from 'jose'
import type { Role } from './permissions.js'
import type { AuthTables, UserTable } from './auth.tables.js'

/** Repository functions take `db` or a `trx` first; inside a transaction pass the `trx`. */
export type AuthDb = Kysely<AuthTables>

export type UserStatus = 'active' | 'disabled'

export interface User {
  id: string
  email: string
  name: string
  role: Role
  status: UserStatus
  emailVerifiedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** A user with the secret needed to check a password; never leaves the service. */
export interface UserCredentials {
  user: User
  passwordHash: string
}

export interface NewUserRow {
  id: string
  email: string
  name: string
  role: Role
  passwordHash: string
  /** Set when the address is already vouched for (an OIDC provider's verified email). */
  emailVerified?: boolean
}

/** A private JWK as stored: as generated, or sealed (a string the key store opens). */
export type StoredPrivateJwk = JWK | string

export interface SigningKeyRecord {
  kid: string
  publicJwk: JWK
  privateJwk: StoredPrivateJwk
  createdAt: Date
  retiredAt: Date | null
}

export const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'status',
  'email_verified_at',
  'created_at',
  'updated_at',
] as const

export type UserRow = Pick<Selectable<UserTable>, (typeof USER_COLUMNS)[number]>

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    emailVerifiedAt: row.email_verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Inserts the user, or returns undefined when the email is already registered. */
export async function insertUserUnlessEmailTaken(
  db: AuthDb,
  row: NewUserRow,
): Promise<User | undefined> {
  const inserted = await db
    .insertInto('auth.user')
    .values({
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      password_hash: row.passwordHash,
      ...(row.emailVerified ? { email_verified_at: sql<Date>`now()` } : {}),
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(USER_COLUMNS)
    .executeTakeFirst()
  return inserted ? toUser(inserted) : undefined
}

export async function findUserById(db: AuthDb, id: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('auth.user')
    .select(USER_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toUser(row) : undefined
}

export async function userExistsWithEmail(db: AuthDb, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('auth.user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst()
  return row !== undefined
}

/** Whether any account has the admin role (active or not: the store has been set up). */
export async function adminExists(db: AuthDb): Promise<boolean> {
  const row = await db
    .selectFrom('auth.user')
    .select('id')
    .where('role', '=', 'admin')
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export async function findCredentialsByEmail(
  db: AuthDb,
  email: string,
): Promise<UserCredentials | undefined> {
  const row = await db
    .selectFrom('auth.user')
    .select([...USER_COLUMNS, 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst()
  return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined
}

/** An active account's password hash and email (for re-authenticating a signed-in user). */
export async function findPasswordHash(
  db: AuthDb,
  userId: string,
): Promise<{ email: string; passwordHash: string } | undefined> {
  const row = await db
    .selectFrom('auth.user')
    .select(['email', 'password_hash'])
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst()
  return row ? { email: row.email, passwordHash: row.password_hash } : undefined
}

function toSigningKey(row: Selectable<AuthTables['auth.signing_key']>): SigningKeyRecord {
  return {
    kid: row.kid,
    publicJwk: row.public_jwk,
    privateJwk: row.private_jwk,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  }
}

/**
 * The active key plus keys retired less than `graceSeconds` ago: tokens they signed may still be
 * live, so verifiers need them.
 */
export async function listVerificationKeys(
  db: AuthDb,
  graceSeconds: number,
): Promise<SigningKeyRecord[]> {
  const rows = await db
    .selectFrom('auth.signing_key')
    .select(['kid', 'public_jwk', 'private_jwk', 'created_at', 'retired_at'])
    .where((eb) =>
      eb.or([
        eb('retired_at', 'is', null),
        eb('retired_at', '>', sql<Date>`now() - make_interval(secs => ${graceSeconds})`),
      ]),
    )
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map(toSigningKey)
}

/** Inserts the key unless another process already made an active one (returns whether it won). */
export async function insertSigningKeyUnlessActiveExists(
  db: AuthDb,
  key: { kid: string; publicJwk: JWK; privateJwk: StoredPrivateJwk },
): Promise<boolean> {
  const result = await db
    .insertInto('auth.signing_key')
    .values({
      kid: key.kid,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwk: JSON.stringify(key.privateJwk),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Every key's private half as stored, retired ones included (for sealing them again). */
export async function listStoredPrivateJwks(
  db: AuthDb,
): Promise<{ kid: string; privateJwk: StoredPrivateJwk }[]> {
  const rows = await db.selectFrom('auth.signing_key').select(['kid', 'private_jwk']).execute()
  return rows.map((row) => ({ kid: row.kid, privateJwk: row.private_jwk }))
}

export async function replacePrivateJwk(
  db: AuthDb,
  kid: string,
  privateJwk: StoredPrivateJwk,
): Promise<void> {
  await db
    .updateTable('auth.signing_key')
    .set({ private_jwk: JSON.stringify(privateJwk) })
    .where('kid', '=', kid)
    .execute()
}
