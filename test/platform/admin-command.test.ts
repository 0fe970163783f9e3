import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { decodeJwt } from 'jose'
import { createTestContext, engine, uniqueSuffix, type TestContext } from '../helpers/context.js'
import { runToEnd, spawnRole, type RoleProcess, type Run } from '../helpers/process.js'
import { freePort, throwawayDatabaseUrl } from './support.js'

const HINT = /^no admin account yet: create one with `npm run admin -- create you@example.com`$/
const PASSWORD = 'a long admin passphrase 42'

/** `emporium admin <args>` to its end. */
function admin(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string; compiled?: boolean } = {},
): Promise<Run> {
  return runToEnd(['admin', ...args], env, options)
}

async function stop(started: RoleProcess): Promise<void> {
  started.child.kill('SIGTERM')
  const { code } = await started.exited
  assert.equal(code, 0, started.stderr())
}

describe(`npm run admin -- create (${engine})`, () => {
  let dataDir: string
  let database: Awaited<ReturnType<typeof throwawayDatabaseUrl>>
  let env: Record<string, string>

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'emporium-admin-'))
    // A fresh store: nothing migrated, no account.
    database = await throwawayDatabaseUrl({ migrated: false })
    env = {
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      ...(database ? { DATABASE_URL: database.url } : {}),
    }
  })
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true })
    await database?.drop()
  })

  test('a start without an admin says how to create one', { timeout: 120_000 }, async () => {
    const started = await spawnRole('start', { ...env, PORT: String(await freePort()) })
    assert.equal(started.lines.filter((l) => HINT.test(String(l.msg))).length, 1)
    const hint = started.lines.find((l) => HINT.test(String(l.msg)))!
    assert.equal(hint.level, 40, 'a warning')
    await stop(started)
  })

  test(
    'creates the admin from stdin, the way npm run admin runs',
    { timeout: 120_000 },
    async () => {
      const run = await admin(['create', 'X@example.com', '--password-stdin'], env, {
        stdin: `${PASSWORD}\n`,
        compiled: true,
      })
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stdout.trim(), 'admin x@example.com created; sign in at POST /v1/auth/login')
    },
  )

  test('an email that already has an account is refused: exit 1, nothing changed', async () => {
    const run = await admin(['create', 'x@example.com', '--password-stdin'], env, {
      stdin: 'another long passphrase 7',
    })
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.equal(
      run.stderr,
      'admin create refused: An account with this email address already exists.\n',
    )
    // The next test signs in with the first password: the account kept it.
  })

  test(
    'the admin signs in with the admin role; the start no longer hints',
    { timeout: 120_000 },
    async () => {
      const port = await freePort()
      const started = await spawnRole('start', { ...env, PORT: String(port) })
      try {
        assert.equal(started.logged(HINT), false, 'no hint once an admin exists')
        const res = await fetch(`http://127.0.0.1:${port}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'x@example.com', password: PASSWORD }),
        })
        assert.equal(res.status, 200)
        const body = (await res.json()) as { accessToken: string; user: { role: string } }
        assert.equal(body.user.role, 'admin')
        assert.equal(decodeJwt(body.accessToken).role, 'admin')
        const me = await fetch(`http://127.0.0.1:${port}/v1/me`, {
          headers: { authorization: `Bearer ${body.accessToken}` },
        })
        assert.equal(me.status, 200)
        assert.equal(((await me.json()) as { role: string }).role, 'admin')

        // While the server runs: the embedded database is the server's (db.lock); PostgreSQL
        // takes any number of processes.
        const during = await admin(['create', 'z@example.com', '--password-stdin'], env, {
          stdin: PASSWORD,
        })
        if (engine === 'pglite') {
          assert.equal(during.code, 1)
          assert.match(
            during.stderr,
            new RegExp(
              `DATA_DIR .+ is in use by another Emporium process \\(pid ${started.child.pid}\\)`,
            ),
          )
        } else {
          assert.equal(during.code, 0, during.stderr)
          assert.match(during.stdout, /^admin z@example.com created/)
        }
      } finally {
        await stop(started)
      }
    },
  )

  test('without a terminal or with other arguments the command refuses', async () => {
    const noTty = await admin(['create', 'y@example.com'], env)
    assert.equal(noTty.code, 1)
    assert.match(noTty.stderr, /no terminal to ask for the password on: .*--password-stdin/)

    const usage = await admin(['make', 'y@example.com'], env)
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /admin create <email> \[--password-stdin\]/)
  })
})

// The rules themselves are the auth service's: checked in process, without a process per case.
describe(`the admin rules of the auth service (${engine})`, () => {
  let ctx: TestContext
  before(async () => (ctx = await createTestContext()))
  after(() => ctx.close())

  test('a weak or common password, a bad or taken address are refused; nothing is created', async () => {
    const auth = ctx.runtime.modules.auth.service
    const refused = async (email: string, password: string, problem: RegExp) => {
      const error = await auth.createAdmin(email, password).then(
        () => assert.fail(`${email} was created`),
        (e: unknown) => e as { message: string; errors?: { message: string }[] },
      )
      const said = [error.message, ...(error.errors ?? []).map((e) => e.message)].join(' ')
      assert.match(said, problem)
    }
    await refused('y@example.com', 'short', /at least 10 characters/)
    await refused('y@example.com', 'password123', /commonly used passwords/)
    await refused('not-an-address', PASSWORD, /not an email address/)
    assert.equal(await auth.hasAdmin(), false, 'refusals create nothing')
    const created = await auth.createAdmin(`boss-${uniqueSuffix()}@example.com`, PASSWORD)
    assert.equal(created.role, 'admin')
    assert.equal(await auth.hasAdmin(), true)
    await refused(created.email, PASSWORD, /already exists/)
  })
})
