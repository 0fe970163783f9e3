import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the audit schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('audit').ifNotExists().execute()
  await db.schema
    .createTable('audit.entry')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addCheckConstraint(
      'entry_actor_type_ck',
      sql`actor_type in ('user', 'api_key', 'system', 'anonymous')`,
    )
    .execute()
  await db.schema
    .createIndex('entry_occurred_idx')
    .on('audit.entry')
    .columns(['occurred_at desc', 'id desc'])
    .execute()
  await db.schema.createIndex('entry_actor_idx').on('audit.entry').columns(['actor_id']).execute()
  await db.schema.createIndex('entry_action_idx').on('audit.entry').columns(['action']).execute()
  // Append-only: PGlite has no roles to revoke UPDATE/DELETE from, so the table refuses them
  // itself, on both engines and whatever connects.
  await sql`create function audit.refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit.entry is append-only' using errcode = 'insufficient_privilege';
    end
  $$`.execute(db)
  await sql`create trigger entry_append_only before update or delete on audit.entry
    for each row execute function audit.refuse_change()`.execute(db)
  await sql`create trigger entry_no_truncate before truncate on audit.entry
    for each statement execute function audit.refuse_change()`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit.entry').execute()
  await sql`drop function audit.refuse_change()`.execute(db)
  await db.schema.dropSchema('audit').execute()
}
