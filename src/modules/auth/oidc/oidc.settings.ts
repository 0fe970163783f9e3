/** One OpenID Connect provider the auth module signs in with (the composition root maps `OIDC_*` here). */
export interface OidcProviderSettings {
  /** Lower-case name used in URLs: `/v1/auth/oidc/<name>/start`. */
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  /** Unset: a public client (PKCE only, no client authentication). */
  readonly clientSecret: string | undefined
  readonly scope: string
}
