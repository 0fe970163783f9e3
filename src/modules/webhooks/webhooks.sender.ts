import http from 'node:http'
import https from 'node:https'
import { publicOnlyLookup } from './webhooks.ssrf.js'

export const DELIVERY_TIMEOUT_MS = 10_000
const EXCERPT_BYTES = 1024

export interface SendResult {
  statusCode: number | null
  durationMs: number
  excerpt: string | null
  error: string | null
}

/**
 * POSTs one signed delivery. Reads at most 1 KB of the reply (kept as the attempt's excerpt);
 * the whole exchange is bounded by the timeout. Never throws: failures are results.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  allowPrivate: boolean,
): Promise<SendResult> {
  const started = performance.now()
  const done = (partial: Omit<SendResult, 'durationMs'>): SendResult => ({
    ...partial,
    durationMs: Math.round(performance.now() - started),
  })
  return new Promise((resolve) => {
    const target = new URL(url)
    const client = target.protocol === 'https:' ? https : http
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Emporium-Webhooks/1',
        },
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        const finish = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8')
          resolve(done({ statusCode: response.statusCode ?? null, excerpt, error: null }))
          response.destroy()
        }
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk)
          size += chunk.length
          if (size >= EXCERPT_BYTES) finish()
        })
        response.on('end', finish)
        response.on('error', finish)
      },
    )
    request.on('error', (err: Error & { code?: string }) => {
      const error = err.name === 'AbortError' ? 'timeout' : (err.code ?? err.message)
      resolve(done({ statusCode: null, excerpt: null, error: error.slice(0, 200) }))
    })
    request.end(body)
  })
}
