import { createReadStream } from 'node:fs'
import { createGunzip } from 'node:zlib'
import { BACKUP_FORMAT, BACKUP_VERSION, BackupError, type BackupHeader } from './backup-tables.js'

/** One line of a backup file, parsed. */
export type BackupLine =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; table: string; columns: string[] }
  | { kind: 'row'; values: (string | null)[] }
  | { kind: 'sequence'; sequence: string; value: string; called: boolean }
  | { kind: 'end'; tables: number; rows: number }

/** What a whole, valid backup file holds (read once before anything is changed). */
export interface BackupSummary {
  header: BackupHeader
  tables: { table: string; columns: string[]; rows: number }[]
  sequences: number
  rows: number
}

/** The file's text lines, gunzipped; gzip's own errors become messages about the file. */
async function* textLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip()
  const source = createReadStream(file)
  source.on('error', (error) => gunzip.destroy(error))
  source.pipe(gunzip).setEncoding('utf8')
  let rest = ''
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n')
      rest = parts.pop() ?? ''
      yield* parts
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new BackupError(`${file}: no such file`)
    if (code === 'Z_BUF_ERROR') throw new BackupError(`${file} is truncated: refusing to restore`)
    throw new BackupError(`${file} is not an Emporium backup (not a gzip file)`)
  } finally {
    source.destroy()
  }
  if (rest !== '') yield rest
}

function isText(value: unknown): value is string | null {
  return value === null || typeof value === 'string'
}

function classify(value: unknown): BackupLine | undefined {
  if (Array.isArray(value)) return value.every(isText) ? { kind: 'row', values: value } : undefined
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  if (typeof v.format === 'string') return { kind: 'header', header: v as unknown as BackupHeader }
  if (typeof v.table === 'string' && Array.isArray(v.columns))
    return { kind: 'table', table: v.table, columns: v.columns as string[] }
  if (typeof v.sequence === 'string' && typeof v.value === 'string')
    return { kind: 'sequence', sequence: v.sequence, value: v.value, called: v.called !== false }
  if (v.end === true) return { kind: 'end', tables: Number(v.tables), rows: Number(v.rows) }
  return undefined
}

function checkHeader(file: string, header: BackupHeader): void {
  if (header.format !== BACKUP_FORMAT)
    throw new BackupError(`${file} is not an Emporium backup (format "${header.format}")`)
  if (header.version !== BACKUP_VERSION)
    throw new BackupError(
      `${file} is an Emporium backup of format version ${header.version}; this build reads version ${BACKUP_VERSION}`,
    )
  if (!Array.isArray(header.migrations))
    throw new BackupError(`${file}: the header lists no migrations`)
}

/** Every line of the file, parsed and checked against the header's format and version. */
export async function* backupLines(file: string): AsyncGenerator<BackupLine> {
  let number = 0
  for await (const text of textLines(file)) {
    number++
    let parsed: BackupLine | undefined
    try {
      parsed = classify(JSON.parse(text))
    } catch {
      parsed = undefined
    }
    if (number === 1 && parsed?.kind !== 'header')
      throw new BackupError(`${file} is not an Emporium backup (no backup header)`)
    if (!parsed) throw new BackupError(`${file} is damaged at line ${number}`)
    if (parsed.kind === 'header') checkHeader(file, parsed.header)
    yield parsed
  }
  if (number === 0) throw new BackupError(`${file} is empty: not an Emporium backup`)
}

/**
 * Reads the whole file once: a file that is cut short (no end marker, or counts that do not add
 * up), of another format or version, or damaged is refused before the store is touched.
 */
export async function readSummary(file: string): Promise<BackupSummary> {
  let header: BackupHeader | undefined
  let end: { tables: number; rows: number } | undefined
  const tables: BackupSummary['tables'] = []
  let sequences = 0
  for await (const line of backupLines(file)) {
    const current = tables[tables.length - 1]
    if (end) throw new BackupError(`${file} has data after its end marker`)
    if (line.kind === 'header' && header) throw new BackupError(`${file} has two headers`)
    if (line.kind === 'header') header = line.header
    else if (line.kind === 'table') tables.push({ ...line, rows: 0 })
    else if (line.kind === 'row') {
      if (!current || line.values.length !== current.columns.length)
        throw new BackupError(`${file} is damaged: a row does not match its table's columns`)
      current.rows++
    } else if (line.kind === 'sequence') sequences++
    else end = line
  }
  const rows = tables.reduce((sum, t) => sum + t.rows, 0)
  if (!header || !end || end.tables !== tables.length || end.rows !== rows)
    throw new BackupError(`${file} is truncated (no end marker): refusing to restore`)
  return { header, tables, sequences, rows }
}
