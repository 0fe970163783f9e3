/** One OpenID Connect provider, from `OIDC_<NAME>_*` variables. */
export interface OidcProviderSettings {
  /** Lower-case name used in URLs: `/v1/auth/oidc/<name>/start`. */
  readonly name: string
  readonly issuer: string
  readonly clientId: string
  /** Unset: a public client (PKCE only, no client authentication). */
  readonly clientSecret: string | undefined
  readonly scope: string
}

type Env = Record<string, string | undefined>

const NAME = /^[a-z][a-z0-9-]{0,31}$/

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

/**
 * `OIDC_PROVIDERS=google,okta` plus, per provider, `OIDC_GOOGLE_ISSUER`, `OIDC_GOOGLE_CLIENT_ID`,
 * `OIDC_GOOGLE_CLIENT_SECRET` (optional) and `OIDC_GOOGLE_SCOPE` (default `openid email profile`).
 */
export function readOidcSettings(
  env: Env,
  fail: (variable: string, problem: string) => Error,
): readonly OidcProviderSettings[] {
  const names = (read(env, 'OIDC_PROVIDERS') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  return Object.freeze(
    names.map((name) => {
      if (!NAME.test(name)) {
        throw fail('OIDC_PROVIDERS', `has an invalid name "${name}" (a-z, 0-9, -)`)
      }
      const prefix = `OIDC_${name.toUpperCase().replace(/-/g, '_')}_`
      const issuer = read(env, `${prefix}ISSUER`)
      const clientId = read(env, `${prefix}CLIENT_ID`)
      if (!issuer) throw fail(`${prefix}ISSUER`, `must be set for provider "${name}"`)
      if (!clientId) throw fail(`${prefix}CLIENT_ID`, `must be set for provider "${name}"`)
      let protocol: string
      try {
        protocol = new URL(issuer).protocol
      } catch {
        throw fail(`${prefix}ISSUER`, 'must be a URL')
      }
      if (protocol !== 'https:' && protocol !== 'http:') {
        throw fail(`${prefix}ISSUER`, 'must use https: (http: only for local testing)')
      }
      const scope = read(env, `${prefix}SCOPE`) ?? 'openid email profile'
      if (!scope.split(/\s+/).includes('openid')) {
        throw fail(`${prefix}SCOPE`, 'must include openid')
      }
      return Object.freeze({
        name,
        issuer,
        clientId,
        clientSecret: read(env, `${prefix}CLIENT_SECRET`),
        scope,
      })
    }),
  )
}
