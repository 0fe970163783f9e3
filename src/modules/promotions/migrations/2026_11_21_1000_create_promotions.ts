import { sql, type Kysely } from 'kysely'

// Frozen once landed: change the promotions schema with a new migration, never by editing this one.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('promotions').ifNotExists().execute()
  await db.schema
    .createTable('promotions.promotion')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('percent_off_bps', 'integer')
    .addColumn('amount_off', 'jsonb')
    .addColumn('minimum_subtotal', 'jsonb')
    .addColumn('starts_at', 'timestamptz')
    .addColumn('ends_at', 'timestamptz')
    .addColumn('usage_limit', 'integer')
    .addColumn('per_customer_limit', 'integer')
    .addColumn('times_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('promotion_code_uq', ['code'])
    .addCheckConstraint('promotion_code_ck', sql`code ~ '^[A-Z0-9_-]{3,32}$'`)
    .addCheckConstraint(
      'promotion_kind_ck',
      sql`kind in ('percentage', 'fixed_amount', 'free_shipping')`,
    )
    .addCheckConstraint(
      'promotion_value_ck',
      sql`(kind = 'percentage') = (percent_off_bps is not null)
        and (kind = 'fixed_amount') = (amount_off is not null)
        and (percent_off_bps is null or percent_off_bps between 1 and 10000)`,
    )
    .addCheckConstraint(
      'promotion_window_ck',
      sql`starts_at is null or ends_at is null or ends_at > starts_at`,
    )
    .addCheckConstraint(
      'promotion_limits_ck',
      sql`times_used >= 0 and (usage_limit is null or usage_limit >= 1)
        and (per_customer_limit is null or per_customer_limit >= 1)`,
    )
    .execute()
  await db.schema
    .createTable('promotions.redemption')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // No cascade: a promotion that was used is deactivated, not deleted.
    .addColumn('promotion_id', 'text', (c) => c.notNull().references('promotions.promotion.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('customer_key', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('discount', 'bigint', (c) => c.notNull())
    .addColumn('free_shipping', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('redemption_order_uq', ['order_id'])
    .addCheckConstraint('redemption_discount_ck', sql`discount >= 0`)
    .execute()
  await db.schema
    .createIndex('redemption_customer_idx')
    .on('promotions.redemption')
    .columns(['promotion_id', 'customer_key'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('promotions.redemption').execute()
  await db.schema.dropTable('promotions.promotion').execute()
  await db.schema.dropSchema('promotions').execute()
}
