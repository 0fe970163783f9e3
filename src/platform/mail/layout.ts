/** What every message says, in the shared layout; all strings are plain text, escaped here. */
export interface MailContent {
  subject: string
  /** First line of the body, e.g. "Hello Ada,". */
  greeting: string
  paragraphs: string[]
  /** The main link, shown as a button in HTML and as a bare URL in text. */
  action?: { label: string; url: string }
  /** Small print under the action, e.g. how long a link stays valid. */
  footer?: string[]
  /** The product name in the signature. */
  brand: string
}

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Every variable goes through this before it reaches HTML: names and URLs come from users. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
}

function renderText(content: MailContent): string {
  const parts = [content.greeting, ...content.paragraphs]
  if (content.action) parts.push(`${content.action.label}: ${content.action.url}`)
  parts.push(...(content.footer ?? []), `— ${content.brand}`)
  return `${parts.join('\n\n')}\n`
}

function renderHtml(content: MailContent): string {
  const p = (text: string, style = '') =>
    `<p style="margin:0 0 16px;${style}">${escapeHtml(text)}</p>`
  const action = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:#111;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none">${escapeHtml(content.action.label)}</a></p>`
    : ''
  const footer = (content.footer ?? []).map((line) => p(line, 'color:#666;font-size:13px')).join('')
  return htmlLayout({
    subject: content.subject,
    brand: content.brand,
    body: [p(content.greeting), ...content.paragraphs.map((text) => p(text)), action, footer].join(
      '\n',
    ),
  })
}

/**
 * The page around an HTML body that is already safe (every variable escaped by its renderer).
 * The classes are for file templates: `action` holds the main link, `small` the small print.
 */
export function htmlLayout(page: { subject: string; brand: string; body: string }): string {
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(page.subject)}</title>`,
    '<style>p{margin:0 0 16px}.action{margin:24px 0}' +
      '.action a{background:#111;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none}' +
      '.small{color:#666;font-size:13px}</style></head>',
    '<body style="margin:0;padding:24px;background:#f5f5f5;font-family:system-ui,sans-serif;color:#111">',
    '<div style="max-width:560px;margin:0 auto;background:#fff;padding:32px;border-radius:8px">',
    page.body,
    `<p style="margin:0 0 16px;color:#666">— ${escapeHtml(page.brand)}</p>`,
    '</div></body></html>',
  ].join('\n')
}

/** The plain-text part around a rendered body: the same signature as the HTML part. */
export function textLayout(page: { brand: string; body: string }): string {
  return `${page.body.trim()}\n\n— ${page.brand}\n`
}

/** The one layout: plain text and a simple HTML part carrying the same words. */
export function renderMail(content: MailContent): RenderedMail {
  return { subject: content.subject, text: renderText(content), html: renderHtml(content) }
}

/** The product name mails sign with: MAIL_FROM's display name, else "Emporium". */
export function mailBrand(mailFrom: string): string {
  const name = /^\s*"?([^"<]+?)"?\s*</.exec(mailFrom)?.[1]
  return name ?? 'Emporium'
}
