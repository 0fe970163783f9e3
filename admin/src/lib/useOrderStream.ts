import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { session } from '../auth/session'
import { sseParser } from './sse'

export type StreamState = 'connecting' | 'live' | 'offline'

/**
 * Follows GET /v1/orders/:id/events and refetches the order on every change, so its page shows
 * a status change made elsewhere as it happens. fetch rather than EventSource, which cannot send
 * the bearer token; reconnects with Last-Event-ID (the server ends streams after 15 minutes).
 */
export function useOrderStream(orderId: string): StreamState {
  const queryClient = useQueryClient()
  const [state, setState] = useState<StreamState>('connecting')

  useEffect(() => {
    const controller = new AbortController()
    let lastId: string | undefined
    let failures = 0

    const connect = async () => {
      const token = session.accessToken() ?? (await session.refresh())
      if (!token) return setState('offline')
      const res = await fetch(`/v1/orders/${encodeURIComponent(orderId)}/events`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
          ...(lastId ? { 'last-event-id': lastId } : {}),
        },
        signal: controller.signal,
      })
      if (res.status === 401) await session.refresh()
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`)
      setState('live')
      failures = 0
      const feed = sseParser((event) => {
        lastId = event.id ?? lastId
        void queryClient.invalidateQueries({ queryKey: ['order', orderId] })
        void queryClient.invalidateQueries({ queryKey: ['orders'] })
      })
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        feed(value)
      }
    }

    const run = async () => {
      while (!controller.signal.aborted) {
        try {
          await connect()
        } catch {
          if (controller.signal.aborted) return
          failures += 1
          setState('offline')
        }
        if (controller.signal.aborted || !session.accessToken()) return
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5))
        await new Promise((resolve) => setTimeout(resolve, failures === 0 ? 500 : wait))
        setState('connecting')
      }
    }
    void run()
    return () => controller.abort()
  }, [orderId, queryClient])

  return state
}
