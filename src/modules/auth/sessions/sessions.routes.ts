import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { principalOf } from '../../../platform/http/access.js'
import { problems } from '../../../platform/http/schemas.js'
import type { RoutePlugin } from '../../../platform/module.js'
import { clientOf } from '../../../platform/http/client.js'
import { AuthErrors } from '../core/auth.errors.js'
import { LoginReply } from '../core/auth.schema.js'
import { clearRefreshCookie, deliverTokens, refreshTokenFromCookie } from './sessions.cookies.js'
import type { ChangePassword } from './sessions.password-change.js'
import {
  ChangePasswordBody,
  LogoutBody,
  RefreshBody,
  SessionParams,
  SessionsPage,
  SessionsQuery,
} from './sessions.schema.js'
import type { SessionService } from './sessions.service.js'

export interface SessionRoutesDeps {
  sessions: SessionService
  changePassword: ChangePassword
  /** Origins allowed to use the refresh-token cookie (CSRF check). */
  trustedOrigins: ReadonlySet<string>
}

const bearer = [{ bearer: [] }]

/** Browsers sending only the cookie may post no body at all: read that as `{}`. */
async function bodyDefaultsToEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {}
}

export function sessionRoutes(deps: SessionRoutesDeps): RoutePlugin {
  const { sessions, changePassword, trustedOrigins } = deps
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

    app.post(
      '/v1/auth/refresh',
      {
        config: { access: 'public', idempotency: false },
        preValidation: bodyDefaultsToEmpty,
        schema: {
          tags: ['auth'],
          summary: 'Trade a refresh token for a new pair (the old one is spent)',
          description:
            'Body mode: send { refreshToken }. Cookie mode: send {} with the refresh-token ' +
            'cookie from an allowed Origin. Presenting a spent token revokes the whole session.',
          body: RefreshBody,
          response: { 200: LoginReply, ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        const fromBody = request.body.refreshToken
        const token = fromBody ?? refreshTokenFromCookie(request, trustedOrigins)
        if (!token) throw AuthErrors.invalidRefreshToken()
        const delivery = request.body.refreshTokenIn ?? (fromBody ? 'body' : 'cookie')
        try {
          const tokens = await sessions.refresh(token, clientOf(request))
          return deliverTokens(reply, tokens, delivery)
        } catch (error) {
          // A dead cookie is useless to keep: the browser should stop sending it.
          if (!fromBody) clearRefreshCookie(reply)
          throw error
        }
      },
    )

    app.post(
      '/v1/auth/logout',
      {
        config: { access: 'public' },
        preValidation: bodyDefaultsToEmpty,
        schema: {
          tags: ['auth'],
          summary: 'End this session',
          description:
            'The session is the one of the refresh token in the body, else of the cookie, ' +
            'else of the bearer access token.',
          security: bearer,
          body: LogoutBody,
          response: { 204: Type.Null(), ...problems(401, 403) },
        },
      },
      async (request, reply) => {
        const token = request.body.refreshToken ?? refreshTokenFromCookie(request, trustedOrigins)
        clearRefreshCookie(reply)
        await sessions.logout(token || undefined, request.principal ?? null)
        return reply.code(204).send(null)
      },
    )

    app.post(
      '/v1/auth/logout-all',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'End every session of the signed-in user, this one included',
          security: bearer,
          response: { 204: Type.Null(), ...problems(401) },
        },
      },
      async (request, reply) => {
        await sessions.revokeAllSessions(principalOf(request).subject)
        clearRefreshCookie(reply)
        return reply.code(204).send(null)
      },
    )

    app.get(
      '/v1/me/sessions',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Live sessions of the signed-in user, newest first',
          security: bearer,
          querystring: SessionsQuery,
          response: { 200: SessionsPage, ...problems(401) },
        },
      },
      async (request) => {
        const principal = principalOf(request)
        const { limit = 20, cursor } = request.query
        return sessions.listSessions(principal.subject, principal.sessionId, { limit, cursor })
      },
    )

    app.delete(
      '/v1/me/sessions/:id',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Revoke one of your sessions (sign out that device)',
          security: bearer,
          params: SessionParams,
          response: { 204: Type.Null(), ...problems(401, 404) },
        },
      },
      async (request, reply) => {
        await sessions.revokeSession(principalOf(request).subject, request.params.id)
        return reply.code(204).send(null)
      },
    )

    app.post(
      '/v1/me/password',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Change the password; every other session is signed out',
          description: 'Wrong current password: 403 password_incorrect. The policy applies.',
          security: bearer,
          body: ChangePasswordBody,
          response: { 204: Type.Null(), ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request)
        await changePassword(
          { userId: principal.subject, sessionId: principal.sessionId, client: clientOf(request) },
          request.body,
        )
        return reply.code(204).send(null)
      },
    )
  }
}
