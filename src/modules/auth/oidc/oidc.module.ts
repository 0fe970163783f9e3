import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { RoutePlugin } from '../../../platform/module.js'
import type { AuthDeps } from '../auth.settings.js'
import type { MfaGate } from '../mfa/mfa.service.js'
import { oidcRoutes } from './oidc.routes.js'
import { createOidcService } from './oidc.service.js'
import type { OidcTables } from './oidc.tables.js'
import type { SessionService } from '../sessions/sessions.service.js'

/** OpenID Connect sign-in routes for the configured providers (none: routes answer 404). */
export function createOidcRoutes(
  deps: AuthDeps & { sessions: SessionService; mfa: MfaGate; logger: Logger },
): RoutePlugin {
  const service = createOidcService({
    db: deps.database.db as Kysely<OidcTables>,
    uow: deps.uow,
    sessions: deps.sessions,
    mfa: deps.mfa,
    logger: deps.logger,
    providers: deps.settings.oidcProviders,
    publicUrl: deps.settings.publicUrl,
  })
  return oidcRoutes(service)
}
