import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// The dashboard is served by the API process at /admin (src/platform/http/admin-dashboard.ts).
// `npm run admin:dev` serves it with hot reload and forwards API calls to a server on :3000.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/v1': process.env.EMPORIUM_URL ?? 'http://localhost:3000',
    },
  },
})
