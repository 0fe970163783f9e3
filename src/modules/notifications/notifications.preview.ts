import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SAMPLE_VALUES } from './notifications.samples.js'
import { renderNamedMail, TEMPLATE_NAMES } from './notifications.templates.js'

/**
 * Renders every template with its sample values into `dir`: `<name>.html` to open in a browser,
 * `<name>.txt` (subject line first) for the plain-text part. Returns the files written.
 */
export async function writeMailPreviews(dir: string, brand = 'Emporium'): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const files: string[] = []
  for (const name of TEMPLATE_NAMES) {
    const mail = renderNamedMail(name, SAMPLE_VALUES[name], brand)
    const html = path.join(dir, `${name}.html`)
    const text = path.join(dir, `${name}.txt`)
    await writeFile(html, mail.html)
    await writeFile(text, `Subject: ${mail.subject}\n\n${mail.text}`)
    files.push(html, text)
  }
  return files
}
