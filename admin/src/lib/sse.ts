/** One Server-Sent Event: its id, type and data lines. */
export interface SseEvent {
  id: string | undefined
  event: string
  data: string
}

/**
 * Splits an SSE byte stream's text into events. Feed it chunks as they arrive; it keeps the
 * partial event at the end for the next chunk. Comment lines (": keep-alive") and `retry:` are
 * skipped.
 */
export function sseParser(onEvent: (event: SseEvent) => void) {
  let buffer = ''
  return (chunk: string) => {
    buffer += chunk.replace(/\r\n?/g, '\n')
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      let id: string | undefined
      let event = 'message'
      const data: string[] = []
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':')
        if (colon === 0) continue
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'id') id = value
        else if (field === 'event') event = value
        else if (field === 'data') data.push(value)
      }
      if (data.length > 0) onEvent({ id, event, data: data.join('\n') })
    }
  }
}
