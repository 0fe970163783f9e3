import type { paths } from '../api/schema'

export type User = paths['/v1/me']['get']['responses'][200]['content']['application/json']

type Listener = () => void

export interface SignedIn {
  accessToken: string
  user: User
}

/** Why the last session ended, shown on the sign-in form (e.g. it expired). */
export type EndReason = 'expired' | 'signed_out' | null

interface State {
  current: SignedIn | null
  ended: EndReason
  /** False until the first refresh attempt (a reload restores the session from the cookie). */
  restored: boolean
}

let state: State = { current: null, ended: null, restored: false }
const listeners = new Set<Listener>()
let refreshing: Promise<string | null> | null = null

function set(next: Partial<State>) {
  state = { ...state, ...next }
  for (const listener of listeners) listener()
}

/** The user and their permissions, as `GET /v1/me` reports them for this access token. */
async function fetchMe(accessToken: string): Promise<User | null> {
  const res = await fetch('/v1/me', { headers: { authorization: `Bearer ${accessToken}` } })
  return res.ok ? ((await res.json()) as User) : null
}

async function postAuth(path: string, body: unknown): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/**
 * Runs `task` while holding the browser-wide refresh lock: two tabs refreshing with the one cookie
 * at once would look like a stolen token (a spent refresh token presented again) and end the
 * session, so tabs take turns, each then rotating the cookie the previous one left.
 */
function oneTabAtATime<T>(task: () => Promise<T>): Promise<T> {
  if (!('locks' in navigator)) return task()
  return navigator.locks.request('emporium-admin-refresh', task) as Promise<T>
}

/**
 * The signed-in session, outside React so that the API client reaches it too. The access token
 * lives only in this module's memory; the refresh token is an HttpOnly cookie scripts never see.
 */
export const session = {
  subscribe(listener: Listener) {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  },
  snapshot: () => state,
  accessToken: () => state.current?.accessToken ?? null,

  /** After sign-in: reads the user's permissions, then shows the dashboard. */
  async signedIn(accessToken: string) {
    const user = await fetchMe(accessToken)
    if (!user) throw new Error('Signed in, but the account could not be read. Try again.')
    set({ current: { accessToken, user }, ended: null })
  },

  /** One refresh at a time: concurrent 401s share it (a second use of the cookie is reuse). */
  refresh(): Promise<string | null> {
    refreshing ??= (async () => {
      const wasSignedIn = state.current !== null
      try {
        const res = await oneTabAtATime(() =>
          postAuth('/v1/auth/refresh', { refreshTokenIn: 'cookie' }),
        )
        if (!res.ok) {
          set({ current: null, ended: wasSignedIn ? 'expired' : state.ended, restored: true })
          return null
        }
        const { accessToken } = (await res.json()) as { accessToken: string }
        // Read again on each refresh, so a role changed meanwhile shows in what the pages offer.
        const user = await fetchMe(accessToken)
        if (!user) {
          set({ current: null, ended: wasSignedIn ? 'expired' : state.ended, restored: true })
          return null
        }
        set({ current: { accessToken, user }, restored: true })
        return accessToken
      } catch {
        set({ current: null, ended: wasSignedIn ? 'expired' : state.ended, restored: true })
        return null
      } finally {
        refreshing = null
      }
    })()
    return refreshing
  },

  async signOut() {
    await postAuth('/v1/auth/logout', {}).catch(() => undefined)
    set({ current: null, ended: 'signed_out' })
  },
}
