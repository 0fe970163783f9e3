import { existsSync } from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'

/** Where `npm run admin:build` writes the dashboard (Vite's output, `base: '/admin/'`). */
export const ADMIN_DIST_DIR = path.resolve('admin', 'dist')

/**
 * The dashboard's own policy, stricter than the API's default: its scripts and styles only (no
 * inline code, which Vite's build does not emit), and requests to this origin only.
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Vite names every file under assets/ by its content hash: a changed file gets a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable'

const NOT_BUILT =
  'The admin dashboard is not built. Build it with `npm run admin:build` (`npm install` does it ' +
  'too, through the prepare script), then restart the server.\n'

/**
 * Serves the staff dashboard at /admin: hashed assets cached for a year, `index.html` revalidated
 * on every load, and every other path under /admin answered with `index.html` so that client
 * routes (/admin/orders/ord_…) survive a reload. Without a build, /admin says how to make one.
 */
export async function registerAdminDashboard(
  app: FastifyInstance,
  distDir = ADMIN_DIST_DIR,
): Promise<void> {
  // Encapsulated: reply.sendFile and the CSP hook stay inside /admin.
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', ADMIN_CSP)
      return payload
    })
    if (!existsSync(path.join(distDir, 'index.html'))) {
      const notBuilt = async (_request: unknown, reply: FastifyReply) =>
        reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .header('retry-after', '60')
          .send(NOT_BUILT)
      scope.get('/admin', { schema: { hide: true } }, notBuilt)
      scope.get('/admin/*', { schema: { hide: true } }, notBuilt)
      return
    }
    await scope.register(fastifyStatic, {
      root: path.join(distDir, 'assets'),
      prefix: '/admin/assets/',
      index: false,
      cacheControl: false,
      setHeaders: (res) => res.setHeader('cache-control', IMMUTABLE),
    })
    const sendIndex = async (_request: unknown, reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').sendFile('index.html', distDir, {
        cacheControl: false,
      })
    scope.get('/admin', { schema: { hide: true } }, sendIndex)
    scope.get('/admin/*', { schema: { hide: true } }, sendIndex)
  })
}
