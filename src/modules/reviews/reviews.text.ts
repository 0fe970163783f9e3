import type { FieldError } from '../../platform/errors.js'

/**
 * C0 and C1 controls, DEL, and the bidi overrides and isolates that can disguise text. Tabs and
 * newlines stay allowed in a body (a review has paragraphs), never in a title.
 */
function hasControl(text: string, allowLayout: boolean): boolean {
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (allowLayout && (code === 0x09 || code === 0x0a)) continue
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true
  }
  return false
}

/**
 * A review's text as stored: trimmed plain text, never markup-processed (whoever renders it
 * escapes it). Control characters are refused rather than silently dropped, so what was
 * submitted is what is shown. Line breaks are normalized to `\n`.
 */
export function cleanReviewText(
  input: { title?: string | undefined; body: string },
  errors: FieldError[],
): { title: string | null; body: string } {
  const body = input.body.replace(/\r\n?/g, '\n').trim()
  const title = input.title?.trim() || null
  if (hasControl(body, true))
    errors.push({ path: '/body/body', message: 'must not contain control characters' })
  if (body.length === 0) errors.push({ path: '/body/body', message: 'must not be blank' })
  if (title && hasControl(title, false))
    errors.push({ path: '/body/title', message: 'must not contain control characters' })
  return { title, body }
}
