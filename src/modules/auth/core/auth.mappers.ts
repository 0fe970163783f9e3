import type { PublicUser } from './auth.schema.js'
import type { User } from './auth.repo.js'

/** A user as the API shows it: no hash, no status, dates as RFC 3339. */
export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  }
}
