import { useEffect, type ReactNode } from 'react'
import { can, type Permission } from './auth/permissions'
import { session } from './auth/session'
import { useSession } from './auth/useSession'
import { Layout } from './components/Layout'
import { Loading, Page } from './components/ui'
import { match, useLocation } from './lib/router'
import { AuditLog } from './pages/AuditLog'
import { Customers } from './pages/Customers'
import { Home } from './pages/Home'
import { Jobs } from './pages/Jobs'
import { OrderDetail } from './pages/OrderDetail'
import { Orders } from './pages/Orders'
import { ProductEdit } from './pages/ProductEdit'
import { ProductNew } from './pages/ProductNew'
import { Products } from './pages/Products'
import { Promotions } from './pages/Promotions'
import { Reviews } from './pages/Reviews'
import { Security } from './pages/Security'
import { SignIn } from './pages/SignIn'
import { Staff } from './pages/Staff'
import { Webhooks } from './pages/Webhooks'

type Route = {
  pattern: string
  permission: Permission | null
  render: (params: Record<string, string>) => ReactNode
}

const ROUTES: Route[] = [
  { pattern: '/', permission: null, render: () => <Home /> },
  { pattern: '/products', permission: 'catalog:read', render: () => <Products /> },
  { pattern: '/products/new', permission: 'catalog:write', render: () => <ProductNew /> },
  {
    pattern: '/products/:id',
    permission: 'catalog:read',
    render: (p) => <ProductEdit id={p.id!} />,
  },
  { pattern: '/orders', permission: 'orders:read', render: () => <Orders /> },
  { pattern: '/orders/:id', permission: 'orders:read', render: (p) => <OrderDetail id={p.id!} /> },
  { pattern: '/customers', permission: 'customers:read', render: () => <Customers /> },
  { pattern: '/reviews', permission: 'reviews:moderate', render: () => <Reviews /> },
  { pattern: '/promotions', permission: 'promotions:manage', render: () => <Promotions /> },
  { pattern: '/webhooks', permission: 'webhooks:manage', render: () => <Webhooks /> },
  { pattern: '/staff', permission: 'staff:manage', render: () => <Staff /> },
  { pattern: '/audit', permission: 'audit:read', render: () => <AuditLog /> },
  { pattern: '/jobs', permission: 'jobs:read', render: () => <Jobs /> },
  { pattern: '/security', permission: null, render: () => <Security /> },
]

function Routes() {
  const { path } = useLocation()
  const user = useSession().current?.user
  for (const route of ROUTES) {
    const params = match(route.pattern, path)
    if (!params) continue
    if (route.permission && !can(user, route.permission)) {
      return (
        <Page title="Not allowed">
          <p>Your role does not allow this page.</p>
        </Page>
      )
    }
    return route.render(params)
  }
  return (
    <Page title="Not found">
      <p>There is no page at this address.</p>
    </Page>
  )
}

export function App() {
  const state = useSession()
  // A reload keeps no token: the refresh cookie restores the session, if there is one.
  useEffect(() => {
    if (!state.restored && !state.current) void session.refresh()
  }, [state.restored, state.current])

  if (!state.current && !state.restored) return <Loading what="your session" />
  if (!state.current) return <SignIn ended={state.ended} />
  return (
    <Layout>
      <Routes />
    </Layout>
  )
}
