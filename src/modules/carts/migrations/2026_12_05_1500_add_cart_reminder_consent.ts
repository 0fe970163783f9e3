import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the carts schema with a new migration, never by editing this one.

// Abandoned-cart reminders go to a guest's address only with its consent, and every reminder
// carries an unsubscribe token (stored as a SHA-256 hash); an unsubscribed address gets no more.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('carts.cart')
    .addColumn('reminder_consent', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await db.schema
    .createTable('carts.reminder_unsubscribe')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('carts.reminder_opt_out')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('carts.reminder_opt_out').execute()
  await db.schema.dropTable('carts.reminder_unsubscribe').execute()
  await db.schema.alterTable('carts.cart').dropColumn('reminder_consent').execute()
}
