/**
 * An `ILIKE` pattern matching values that contain `text`: `%`, `_` and `\` in it match
 * themselves (escaped with PostgreSQL's default escape character).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
