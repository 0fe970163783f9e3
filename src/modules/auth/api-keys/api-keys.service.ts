import type { Transaction } from 'kysely'
import type { Logger } from 'pino'
import { randomToken, sha256, tokenMatches } from '../../../platform/crypto.js'
import type { UnitOfWork } from '../../../platform/db/unit-of-work.js'
import { AppError } from '../../../platform/errors.js'
import type { Principal } from '../../../platform/http/access.js'
import { newId } from '../../../shared/ids.js'
import { cursorId, toPage, type Page } from '../../../platform/pagination.js'
import type { AuditClient, AuditService } from '../../audit/index.js'
import { AuthErrors } from '../core/auth.errors.js'
import {
  findLiveKeyByLookup,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  type ApiKeyDb,
  type ApiKeyRow,
} from './api-keys.repo.js'
import type { ApiKeyDto, ApiKeyListInput, CreateApiKeyInput } from './api-keys.schema.js'
import type { CredentialStrategy } from '../core/authenticator.js'
import { permissionsFor } from '../core/permissions.js'

export const API_KEY_PREFIX = 'emp_'
// emp_ + 16 selector characters + 43 secret characters (32 random bytes, base64url).
const KEY_PATTERN = /^emp_([A-Za-z0-9_-]{16})([A-Za-z0-9_-]{43})$/
const TOUCH_INTERVAL_MS = 60_000

export const ApiKeyErrors = {
  notFound: (id: string) =>
    new AppError({
      kind: 'not_found',
      code: 'api_key_not_found',
      title: 'API key not found',
      detail: `No live API key ${id}.`,
    }),
  scopeNotHeld: (scope: string) =>
    new AppError({
      kind: 'forbidden',
      code: 'scope_not_held',
      title: 'Forbidden',
      detail: `A key can only grant permissions its creator holds; you lack ${scope}.`,
    }),
  /** Keys are created by people: a key minting keys could outlive its own revocation. */
  keysCannotCreateKeys: () =>
    new AppError({
      kind: 'forbidden',
      code: 'api_key_cannot_create_keys',
      title: 'Forbidden',
      detail: 'An API key cannot create API keys; an administrator signed in creates them.',
    }),
}

export interface ActorContext {
  principal: Principal
  client: AuditClient
}

export interface ApiKeyService {
  create(input: CreateApiKeyInput, actor: ActorContext): Promise<{ apiKey: ApiKeyDto; key: string }>
  list(query: ApiKeyListInput): Promise<Page<ApiKeyDto>>
  revoke(id: string, actor: ActorContext): Promise<void>
  /** `Authorization: Bearer emp_…` → a principal holding the key's scopes. */
  strategy: CredentialStrategy
}

function toDto(row: ApiKeyRow, prefix: string): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  }
}

// The id is its own shown prefix: the selector is not needed to recognise a key in a list.
const shownPrefix = (row: ApiKeyRow) => `${API_KEY_PREFIX}…${row.id.slice(-6)}`

export function createApiKeyService(deps: {
  db: ApiKeyDb
  uow: UnitOfWork
  audit: AuditService
  logger: Logger
}): ApiKeyService {
  const { db, uow, audit, logger } = deps
  const keysTrx = (trx: Transaction<unknown>) => trx as unknown as ApiKeyDb

  async function authenticate(credential: string): Promise<Principal> {
    const match = KEY_PATTERN.exec(credential)
    const candidate = match?.[1] ? await findLiveKeyByLookup(db, match[1]) : undefined
    // Constant-time compare of the verifier: the selector lookup itself leaks nothing secret.
    const valid = candidate !== undefined && tokenMatches(credential, candidate.keyHash)
    if (!candidate || !valid) throw AuthErrors.invalidToken()
    // A key never outgrows its creator: a demoted creator's keys shrink with them.
    const held = permissionsFor(candidate.creatorRole)
    const permissions = new Set(candidate.scopes.filter((s) => (held as Set<string>).has(s)))
    if (!candidate.lastUsedAt || Date.now() - candidate.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await touchApiKey(db, candidate.id)
    }
    return { subject: candidate.id, role: 'api_key', permissions, via: 'api_key' }
  }

  return {
    async create(input, { principal, client }) {
      if (principal.via === 'api_key') throw ApiKeyErrors.keysCannotCreateKeys()
      for (const scope of input.scopes) {
        if (!principal.permissions.has(scope)) throw ApiKeyErrors.scopeNotHeld(scope)
      }
      const selector = randomToken('', 12)
      const key = `${API_KEY_PREFIX}${selector}${randomToken()}`
      const row = await uow.run(async (trx) => {
        const inserted = await insertApiKey(keysTrx(trx), {
          id: newId('key'),
          name: input.name.trim(),
          lookup: selector,
          // 256 random bits, so one SHA-256 suffices: a slow hash only helps against guessable
          // inputs such as passwords, and would make every API request pay for it.
          keyHash: sha256(key),
          scopes: input.scopes,
          createdBy: principal.subject,
        })
        await audit.record(trx, {
          action: 'api_key.created',
          actor: { type: principal.via === 'api_key' ? 'api_key' : 'user', id: principal.subject },
          client,
          subjectId: inserted.id,
          detail: { name: inserted.name, scopes: input.scopes },
        })
        return inserted
      })
      logger.info({ apiKeyId: row.id, by: principal.subject }, 'api key created')
      return { apiKey: toDto(row, shownPrefix(row)), key }
    },

    async list(query) {
      const limit = query.limit ?? 20
      const rows = await listApiKeys(db, cursorId(query.cursor), limit + 1)
      return toPage(
        rows,
        limit,
        (r) => toDto(r, shownPrefix(r)),
        (r) => [r.id],
      )
    },

    async revoke(id, { principal, client }) {
      await uow.run(async (trx) => {
        const revoked = await revokeApiKey(keysTrx(trx), id)
        if (!revoked) throw ApiKeyErrors.notFound(id)
        await audit.record(trx, {
          action: 'api_key.revoked',
          actor: { type: principal.via === 'api_key' ? 'api_key' : 'user', id: principal.subject },
          client,
          subjectId: id,
          detail: { name: revoked.name },
        })
      })
      logger.info({ apiKeyId: id, by: principal.subject }, 'api key revoked')
    },

    strategy: {
      accepts: (credential) => credential.startsWith(API_KEY_PREFIX),
      authenticate,
    },
  }
}
