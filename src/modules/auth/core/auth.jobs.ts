import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { JobDefinition } from '../../../platform/jobs/jobs.js'
import { deleteSpentTokens } from './cleanup.repo.js'

export const AuthJobs = { pruneSpentTokens: 'auth.prune-spent-tokens' } as const

/** Daily: expired sessions and refresh tokens, used or expired account tokens, stale challenges. */
export function authJobs(db: Kysely<unknown>, logger: Logger): JobDefinition[] {
  return [
    {
      name: AuthJobs.pruneSpentTokens,
      schedule: '29 4 * * *',
      handler: async () => {
        const deleted = await deleteSpentTokens(db)
        logger.info(deleted, 'pruned spent and expired tokens')
      },
    },
  ]
}
