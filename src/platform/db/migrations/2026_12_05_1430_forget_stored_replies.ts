import type { Kysely } from 'kysely'

// Frozen once landed.
//
// Replies stored before scopes were bound to the caller's credential may hold order tokens and
// webhook signing secrets in clear, and anonymous callers could be replayed them. They are
// forgotten: a retry of a finished request arriving across this migration runs again. Running
// keys stay, so a request in flight is still not run twice.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('platform.idempotency_key').where('status', '=', 'done').execute()
}

export async function down(): Promise<void> {
  // Nothing to restore.
}
