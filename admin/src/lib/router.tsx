import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react'

/** The dashboard lives under /admin; client routes are paths below it ("/orders/ord_1"). */
export const BASE = '/admin'

const listeners = new Set<() => void>()
window.addEventListener('popstate', () => listeners.forEach((l) => l()))

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

function currentPath(): string {
  const path = window.location.pathname.slice(BASE.length).replace(/\/+$/, '')
  return path === '' ? '/' : path
}

export function navigate(to: string, options: { replace?: boolean } = {}) {
  const url = BASE + (to === '/' ? '/' : to)
  if (options.replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  listeners.forEach((l) => l())
  window.scrollTo(0, 0)
}

/** The client route ("/", "/orders/ord_1") and its query string. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, () => window.location.href)
  return { path: currentPath(), search: new URL(href).searchParams }
}

/** `pattern` such as "/orders/:id" against `path`: the parameters, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (const [i, part] of want.entries()) {
    const value = got[i]!
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value)
    else if (part !== value) return null
  }
  return params
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }

/** A real link (open in a new tab works) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0) return
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(to)
  }
  return <a href={BASE + (to === '/' ? '/' : to)} onClick={handle} {...rest} />
}
