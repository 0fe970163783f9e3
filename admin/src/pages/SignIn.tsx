import { useState, type FormEvent } from 'react'
import { api, must } from '../api/client'
import { session, type EndReason } from '../auth/session'
import { ProblemAlert, TextField } from '../components/ui'

const ENDED: Record<Exclude<EndReason, null>, string> = {
  expired: 'Your session has expired. Sign in again.',
  signed_out: 'You have signed out.',
}

/** Email and password, then the TOTP code when the account has two-factor sign-in on. */
export function SignIn({ ended }: { ended: EndReason }) {
  const [mfaToken, setMfaToken] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const finish = async (result: { accessToken: string; user: { role: string } }) => {
    if (result.user.role === 'customer') {
      setError(new Error('This account is a customer account: the dashboard is for staff.'))
      void fetch('/v1/auth/logout', { method: 'POST', body: '{}', headers: jsonHeaders })
      return
    }
    await session.signedIn(result.accessToken)
  }

  const submit = (handler: (form: FormData) => Promise<void>) => async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await handler(new FormData(event.currentTarget as HTMLFormElement))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const signIn = submit(async (form) => {
    const result = await must(
      api.POST('/v1/auth/login', {
        body: {
          email: String(form.get('email')),
          password: String(form.get('password')),
          refreshTokenIn: 'cookie',
        },
      }),
    )
    if ('mfaRequired' in result) setMfaToken(result.mfaToken)
    else await finish(result)
  })

  const verify = submit(async (form) => {
    const result = await must(
      api.POST('/v1/auth/mfa/verify', {
        body: {
          mfaToken: mfaToken!,
          code: String(form.get('code')).trim(),
          refreshTokenIn: 'cookie',
        },
      }),
    )
    await finish(result)
  })

  return (
    <main className="sign-in">
      <h1>Emporium admin</h1>
      {ended && !error && (
        <p role="status" className="notice">
          {ENDED[ended]}
        </p>
      )}
      <ProblemAlert error={error} />
      {mfaToken === null ? (
        <form onSubmit={signIn} aria-label="Sign in">
          <TextField label="Email" name="email" type="email" autoComplete="username" required />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      ) : (
        <form onSubmit={verify} aria-label="Two-factor code">
          <p>Enter the 6-digit code from your authenticator app, or a recovery code.</p>
          <TextField
            label="Authentication code"
            name="code"
            autoComplete="one-time-code"
            inputMode="text"
            required
            autoFocus
          />
          <button type="submit" disabled={busy}>
            Verify
          </button>
          <button type="button" className="link" onClick={() => setMfaToken(null)}>
            Start again
          </button>
        </form>
      )}
    </main>
  )
}

const jsonHeaders = { 'content-type': 'application/json' }
