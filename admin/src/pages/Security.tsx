import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { api, must } from '../api/client'
import { Loading, Page, ProblemAlert, TextField } from '../components/ui'

/**
 * Two-factor sign-in for the signed-in account. With REQUIRE_STAFF_MFA on (production's default)
 * every admin route answers 403 mfa_required until this is done, so the page is always reachable.
 */
export function Security() {
  const queryClient = useQueryClient()
  const status = useQuery({
    queryKey: ['mfa'],
    queryFn: () => must(api.GET('/v1/auth/mfa')),
  })
  const [code, setCode] = useState('')
  const start = useMutation({ mutationFn: () => must(api.POST('/v1/auth/mfa/totp')) })
  const confirm = useMutation({
    mutationFn: () => must(api.POST('/v1/auth/mfa/totp/confirm', { body: { code: code.trim() } })),
    onSuccess: () => {
      setCode('')
      void queryClient.invalidateQueries({ queryKey: ['mfa'] })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    confirm.mutate()
  }

  return (
    <Page title="Two-factor sign-in">
      <ProblemAlert error={status.error ?? start.error} />
      {status.isPending ? (
        <Loading what="your two-factor settings" />
      ) : confirm.data ? (
        <div role="status" className="notice">
          <p>
            Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs you in
            once without your phone, and they are shown only now.
          </p>
          <ul>
            {confirm.data.recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : status.data?.totp === 'enabled' ? (
        <p>Two-factor sign-in is on; {status.data.recoveryCodesLeft} recovery codes are left.</p>
      ) : !start.data ? (
        <>
          <p>Sign-in asks for a code from an authenticator app after your password.</p>
          <button type="button" disabled={start.isPending} onClick={() => start.mutate()}>
            Set up two-factor sign-in
          </button>
        </>
      ) : (
        <form className="form" onSubmit={submit} aria-label="Confirm two-factor sign-in">
          <ProblemAlert error={confirm.error} />
          <p>
            Add this key to your authenticator app (or open the link on your phone), then enter the
            code it shows.
          </p>
          <code className="secret">{start.data.secret}</code>
          <p>
            <a href={start.data.otpauthUrl}>Open in an authenticator app</a>
          </p>
          <TextField
            label="Code from the app"
            autoComplete="one-time-code"
            value={code}
            required
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" disabled={confirm.isPending}>
            Turn on
          </button>
        </form>
      )}
    </Page>
  )
}
