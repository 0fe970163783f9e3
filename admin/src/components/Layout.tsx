import { useEffect, useRef, type ReactNode } from 'react'
import { can, type Permission } from '../auth/permissions'
import { session } from '../auth/session'
import { useUser } from '../auth/useSession'
import { Link, useLocation } from '../lib/router'

/** Navigation entries; each shows only to users holding its permission. */
export const NAV: { to: string; label: string; permission: Permission | null }[] = [
  { to: '/', label: 'Home', permission: null },
  { to: '/products', label: 'Products', permission: 'catalog:read' },
  { to: '/orders', label: 'Orders', permission: 'orders:read' },
  { to: '/customers', label: 'Customers', permission: 'customers:read' },
  { to: '/reviews', label: 'Reviews', permission: 'reviews:moderate' },
  { to: '/promotions', label: 'Promotions', permission: 'promotions:manage' },
  { to: '/webhooks', label: 'Webhooks', permission: 'webhooks:manage' },
  { to: '/staff', label: 'Staff and API keys', permission: 'staff:manage' },
  { to: '/audit', label: 'Audit log', permission: 'audit:read' },
  { to: '/jobs', label: 'Jobs', permission: 'jobs:read' },
  { to: '/security', label: 'Two-factor sign-in', permission: null },
]

function isCurrent(to: string, path: string) {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`)
}

export function Layout({ children }: { children: ReactNode }) {
  const user = useUser()
  const { path } = useLocation()
  const main = useRef<HTMLElement>(null)
  const first = useRef(true)
  // After a client-side navigation, focus moves to the new page, as a page load would do.
  useEffect(() => {
    if (first.current) first.current = false
    else main.current?.focus()
  }, [path])
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Emporium</span>
        <span className="who">
          {user.email} <span className="muted">({user.role})</span>
        </span>
        <button type="button" className="secondary" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
      <nav aria-label="Main">
        <ul>
          {NAV.filter((n) => n.permission === null || can(user, n.permission)).map((n) => (
            <li key={n.to}>
              <Link to={n.to} aria-current={isCurrent(n.to, path) ? 'page' : undefined}>
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </div>
  )
}
