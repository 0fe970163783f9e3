/**
 * Crash injection for the recovery tests: with `EMPORIUM_FAILPOINTS=<name>[,<name>…]` the process
 * kills itself with SIGKILL when it reaches a named point, as a power cut would. Unset (always, in
 * production) a failpoint is one Set lookup.
 */
const armed = new Set(
  (process.env.EMPORIUM_FAILPOINTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
)

export function failpoint(name: string): void {
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL')
}
