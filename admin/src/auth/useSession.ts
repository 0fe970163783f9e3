import { useSyncExternalStore } from 'react'
import { session } from './session'

export function useSession() {
  return useSyncExternalStore(session.subscribe, session.snapshot)
}

/** The signed-in user; only rendered inside the signed-in layout, where there is one. */
export function useUser() {
  const user = useSession().current?.user
  if (!user) throw new Error('useUser outside a signed-in view')
  return user
}
