import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, test } from 'node:test'
import { TEMPLATE_NAMES, writeMailPreviews } from '../../src/modules/notifications/index.js'
import { SAMPLE_VALUES } from '../../src/modules/notifications/notifications.samples.js'
import {
  renderNamedMail,
  renderTemplate,
  type TemplateValue,
  type TemplateValues,
} from '../../src/modules/notifications/notifications.templates.js'
import { tempDataDir } from '../helpers/mailbox.js'

const HOSTILE = `<script>alert("x")</script> & 'co'`
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;'

/** The sample values with every string replaced by markup, lists included. */
function hostile(values: TemplateValues): TemplateValues {
  const swap = (value: TemplateValue): TemplateValue =>
    typeof value === 'string'
      ? HOSTILE
      : Array.isArray(value)
        ? value.map((item) => hostile(item))
        : value
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, swap(v)]))
}

describe('mail templates', () => {
  test('mail:preview writes an .html and a .txt for every template, every placeholder filled', async () => {
    const out = await tempDataDir()
    try {
      const files = await writeMailPreviews(out.dir, 'Test Shop')
      assert.equal(files.length, TEMPLATE_NAMES.length * 2)
      for (const name of TEMPLATE_NAMES) {
        const html = await readFile(path.join(out.dir, `${name}.html`), 'utf8')
        const text = await readFile(path.join(out.dir, `${name}.txt`), 'utf8')
        assert.match(html, /^<!doctype html>/)
        assert.match(html, /— Test Shop<\/p>/, `${name}.html is in the shared layout`)
        assert.match(text, /^Subject: \S.*\n\n/, `${name}.txt starts with its subject`)
        assert.match(text, /— Test Shop\n$/)
        for (const part of [html, text]) assert.doesNotMatch(part, /\{\{|\}\}/, name)
      }
    } finally {
      await out.cleanup()
    }
  })

  test('every value is escaped in the HTML part and kept verbatim in the text part', () => {
    for (const name of TEMPLATE_NAMES) {
      const mail = renderNamedMail(name, hostile(SAMPLE_VALUES[name]), `Shop ${HOSTILE}`)
      assert.ok(!mail.html.includes('<script>'), `${name}: no raw markup in HTML`)
      assert.ok(mail.html.includes(ESCAPED), `${name}: values shown escaped`)
      assert.ok(mail.text.includes(HOSTILE), `${name}: text keeps the value as typed`)
    }
  })

  test('sections repeat per item, show once when truthy, and inverted ones show when empty', () => {
    const source = '{{#items}}[{{n}}]{{/items}}{{^items}}none{{/items}}{{#flag}}!{{/flag}}'
    assert.equal(
      renderTemplate(source, { items: [{ n: 1 }, { n: 2 }], flag: true }, 'text'),
      '[1][2]!',
    )
    assert.equal(renderTemplate(source, { items: [], flag: false }, 'text'), 'none')
    assert.equal(
      renderTemplate('{{#items}}\n- {{n}}\n{{/items}}\nend\n', { items: [{ n: 'a' }] }, 'text'),
      '- a\nend\n',
      'a section tag alone on its line leaves no blank line',
    )
  })

  test('a placeholder without a value fails instead of rendering blank', () => {
    assert.throws(() => renderTemplate('Hello {{nmae}}', { name: 'Ada' }, 'html', 'greeting'), {
      message: 'greeting: no value for {{nmae}}',
    })
  })
})
