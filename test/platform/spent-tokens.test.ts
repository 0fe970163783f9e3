import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { AuthJobs } from '../../src/modules/auth/index.js'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'

describe(`the spent-token cleanup schedule on ${engine}`, () => {
  let ctx: TestContext

  before(async () => {
    ctx = await createTestContext()
  })
  after(() => ctx.close())

  const rows = async (query: ReturnType<typeof sql<{ key: string }>>) =>
    (await query.execute(ctx.database.db)).rows.map((r) => r.key).sort()

  test('deletes expired sessions and tokens, used or expired account tokens and stale challenges, and keeps what still counts', async () => {
    const email = `tokens-${uniqueSuffix()}@example.test`
    const password = `correct horse ${uniqueSuffix()}`
    const user = await ctx.runtime.modules.auth.service.createUser({
      email,
      password,
      name: 'T',
      role: 'customer',
    })
    const login = async () =>
      (
        await ctx.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email, password },
        })
      ).json() as { refreshToken: string }
    const refresh = (refreshToken: string) =>
      ctx.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } })
    const live = await login()
    const renewed = await refresh(live.refreshToken) // the first token is now spent, not expired
    assert.equal(renewed.statusCode, 200, renewed.body)
    await login()
    const db = ctx.database.db
    const sessions = await rows(sql<{ key: string }>`select id as key from auth.session
      where user_id = ${user.id} order by created_at`)
    const [kept, expired] = (
      await sql<{ id: string }>`select id from auth.session where user_id = ${user.id}
        order by created_at`.execute(db)
    ).rows.map((r) => r.id)
    await sql`update auth.session set expires_at = now() - interval '2 days' where id = ${expired!}`.execute(
      db,
    )
    await sql`insert into auth.account_token (token_hash, user_id, purpose, expires_at, used_at)
      values ('used', ${user.id}, 'password_reset', now() + interval '1 hour', now()),
        ('expired', ${user.id}, 'email_verification', now() - interval '1 minute', null),
        ('live', ${user.id}, 'password_reset', now() + interval '1 hour', null)`.execute(db)
    await sql`insert into auth.mfa_challenge (token_hash, user_id, expires_at)
      values ('stale', ${user.id}, now() - interval '1 minute'),
        ('fresh', ${user.id}, now() + interval '5 minutes')`.execute(db)
    await sql`insert into auth.refresh_token (token_hash, session_id, expires_at)
      values ('lapsed', ${kept!}, now() - interval '1 minute')`.execute(db)

    const job = ctx.runtime.modules.auth.runtime.jobs?.find(
      (j) => j.name === AuthJobs.pruneSpentTokens,
    )
    assert.equal(job?.schedule, '29 4 * * *')
    await job!.handler({})

    assert.equal(sessions.length, 2)
    assert.deepEqual(
      await rows(sql`select id as key from auth.session where user_id = ${user.id}`),
      [kept],
    )
    assert.deepEqual(
      await rows(sql`select token_hash as key from auth.account_token where user_id = ${user.id}`),
      ['live'],
    )
    assert.deepEqual(
      await rows(sql`select token_hash as key from auth.mfa_challenge where user_id = ${user.id}`),
      ['fresh'],
    )
    const tokens = await sql<{ spent: boolean }>`select spent_at is not null as spent
      from auth.refresh_token where session_id = ${kept!} order by created_at`.execute(db)
    assert.deepEqual(
      tokens.rows.map((r) => r.spent),
      [true, false],
      'the spent token of a live session stays (reuse detection); the lapsed one went',
    )
    // Reuse detection still works after the cleanup: the spent token revokes its family.
    assert.equal((await refresh(live.refreshToken)).statusCode, 401)
    const next = (renewed.json() as { refreshToken: string }).refreshToken
    assert.equal((await refresh(next)).statusCode, 401, 'the family was revoked')
  })
})
