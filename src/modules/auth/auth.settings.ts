import type { SecretKey } from '../../platform/crypto.js'
import type { PlatformDeps } from '../../platform/module.js'
import type { OidcProviderSettings } from './oidc/oidc.settings.js'

/** What the auth module reads from the configuration (the composition root maps it). */
export interface AuthSettings {
  /** Lifetime of a refresh token; each rotation starts a new one (sliding session). */
  refreshTokenTtlDays: number
  isProduction: boolean
  /** Mail goes out by SMTP (else it is written to files, and staff invites carry their token). */
  smtpConfigured: boolean
  /** Origins allowed to use the refresh cookie, besides the public URL's own. */
  corsOrigins: readonly string[]
  publicUrl: string
  /** AES-256 keys sealing TOTP secrets at rest (the first seals, all open); none: unencrypted. */
  mfaEncryptionKeys: readonly SecretKey[]
  /** AES-256 keys sealing the private token signing keys at rest; none: stored as generated. */
  signingKeyEncryptionKeys: readonly SecretKey[]
  /** Staff and admin sessions without TOTP get 403 `mfa_required` on permission routes. */
  requireStaffMfa: boolean
  oidcProviders: readonly OidcProviderSettings[]
}

/** The platform plus the auth settings, as the auth module's parts take them. */
export type AuthDeps = PlatformDeps & { settings: AuthSettings }
