import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface StoredMail {
  file: string
  to: string
  subject: string
  /** The whole message with quoted-printable undone, for text assertions. */
  body: string
}

/** Undoes quoted-printable soft line breaks and escapes (enough for our ASCII mails). */
export function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

function header(raw: string, name: string): string {
  const match = new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)
  return match?.[1]?.trim() ?? ''
}

/** A temporary DATA_DIR for a test file; `cleanup` removes it. */
export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'emporium-mail-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Every `.eml` the embedded transport wrote under `<dataDir>/mail/`. */
export async function readMailDir(dataDir: string): Promise<StoredMail[]> {
  const dir = path.join(dataDir, 'mail')
  const names = await readdir(dir).catch(() => [] as string[])
  const mails: StoredMail[] = []
  for (const name of names.filter((n) => n.endsWith('.eml')).sort()) {
    const raw = await readFile(path.join(dir, name), 'utf8')
    mails.push({
      file: name,
      to: header(raw, 'To'),
      subject: header(raw, 'Subject'),
      body: decodeQuotedPrintable(raw),
    })
  }
  return mails
}

/** The single-use token a mail carries (the code line of the text part). */
export function tokenIn(body: string): string {
  const match = /code to POST \/v1\/auth\/[a-z/]+: ([A-Za-z0-9_-]{43})/.exec(body)
  if (!match?.[1]) throw new Error('no token in the mail')
  return match[1]
}
