import { readFileSync } from 'node:fs'
import {
  escapeHtml,
  htmlLayout,
  textLayout,
  type RenderedMail,
} from '../../platform/mail/layout.js'

/** A placeholder's value; a list repeats its `{{#name}}…{{/name}}` section once per item. */
export type TemplateValue = string | number | boolean | null | undefined | TemplateValues[]
export interface TemplateValues {
  [name: string]: TemplateValue
}

/** Every mail the store sends; each is `templates/<name>.txt` (with its subject) and `.html`. */
export const TEMPLATE_NAMES = [
  'order-confirmation',
  'order-shipped',
  'order-refund',
  'cart-abandoned',
  'account-welcome',
  'account-verification',
  'password-reset',
  'webhook-endpoint-disabled',
  'low-stock-digest',
  'wishlist-back-in-stock',
  'wishlist-price-drop',
  'review-pending',
] as const
export type TemplateName = (typeof TEMPLATE_NAMES)[number]

const TEMPLATE_DIR = new URL('./templates/', import.meta.url)
const SECTION = /\{\{([#^])(\w+)\}\}([\s\S]*?)\{\{\/\2\}\}/g
const PLACEHOLDER = /\{\{(\w+)\}\}/g

/** A value the template names must be given, even as null: a typo then fails the preview test. */
function lookup(scope: TemplateValues, name: string, template: string): TemplateValue {
  if (!Object.hasOwn(scope, name)) throw new Error(`${template}: no value for {{${name}}}`)
  return scope[name]
}

/**
 * Mustache's small subset: `{{name}}`, `{{#name}}…{{/name}}` (a list repeats it per item, any
 * other truthy value shows it once) and `{{^name}}…{{/name}}` (shown when falsy or empty). In
 * the HTML part every value is escaped: names, addresses and SKUs come from users.
 */
export function renderTemplate(
  source: string,
  values: TemplateValues,
  mode: 'text' | 'html',
  template = 'template',
): string {
  // A section tag alone on its line takes its line break with it, as in Mustache.
  const tidy = source.replace(/^[ \t]*(\{\{[#^/]\w+\}\})[ \t]*\r?\n/gm, '$1')
  const render = (text: string, scope: TemplateValues): string =>
    text
      .replace(SECTION, (_all, kind: string, name: string, inner: string) => {
        const value = lookup(scope, name, template)
        const items = Array.isArray(value) ? value : value ? [scope] : []
        if (kind === '^') return items.length === 0 ? render(inner, scope) : ''
        return items.map((item) => render(inner, { ...scope, ...item })).join('')
      })
      .replace(PLACEHOLDER, (_all, name: string) => {
        const value = lookup(scope, name, template)
        if (Array.isArray(value)) throw new Error(`${template}: {{${name}}} is a list`)
        const text = value === null || value === undefined ? '' : String(value)
        return mode === 'html' ? escapeHtml(text) : text
      })
  return render(tidy, values)
}

interface TemplateSource {
  subject: string
  text: string
  html: string
}

const cache = new Map<TemplateName, TemplateSource>()

/** Read once per process; the `.txt` starts with a `Subject:` line and a blank line. */
function load(name: TemplateName): TemplateSource {
  const cached = cache.get(name)
  if (cached) return cached
  const txt = readFileSync(new URL(`${name}.txt`, TEMPLATE_DIR), 'utf8')
  const match = /^Subject: (.*)\r?\n\r?\n([\s\S]*)$/.exec(txt)
  if (!match) throw new Error(`${name}.txt must start with a Subject: line and a blank line`)
  const source = {
    subject: match[1]!,
    text: match[2]!,
    html: readFileSync(new URL(`${name}.html`, TEMPLATE_DIR), 'utf8'),
  }
  cache.set(name, source)
  return source
}

/** One template with its values, in the shared layout: a text part and an escaped HTML part. */
export function renderNamedMail(
  name: TemplateName,
  values: TemplateValues,
  brand: string,
): RenderedMail {
  const source = load(name)
  const scope = { ...values, brand }
  const subject = renderTemplate(source.subject, scope, 'text', name)
  return {
    subject,
    text: textLayout({ brand, body: renderTemplate(source.text, scope, 'text', name) }),
    html: htmlLayout({ subject, brand, body: renderTemplate(source.html, scope, 'html', name) }),
  }
}
