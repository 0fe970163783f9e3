import { sql } from 'kysely'
import type { Db } from './catalog.repo.js'

/**
 * Published products with a variant in stock and priced in `currency` that resemble product
 * `productId`, best first: most categories in common, then text similarity (trigram similarity of
 * the titles plus the full-text rank of the candidate's title and description against the
 * product's title words). Candidates come from indexes only: the category index, the title
 * trigram index and the full-text index. `excludeIds` and the product itself are left out.
 */
export async function similarProductIds(
  db: Db,
  productId: string,
  limit: number,
  excludeIds: readonly string[],
  currency: string,
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with base as (
      select p.id, p.title,
        array(select pc.category_id from catalog.product_category pc where pc.product_id = p.id)
          as categories,
        (select coalesce(string_agg('''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || '''',
            ' | '), '')::tsquery
          from unnest(tsvector_to_array(ts_filter(p.search, '{a}'))) l) as words
      from catalog.product p where p.id = ${productId}
    ),
    candidate as (
      select pc.product_id as id from catalog.product_category pc, base
        where pc.category_id = any(base.categories)
      union
      select p.id from catalog.product p, base where p.title % base.title
      union
      select p.id from catalog.product p, base
        where numnode(base.words) > 0 and p.search @@ base.words
    )
    select p.id,
      (select count(*) from catalog.product_category pc
        where pc.product_id = p.id and pc.category_id = any(base.categories)) as shared,
      similarity(p.title, base.title)
        + case when numnode(base.words) > 0 then ts_rank(p.search, base.words) else 0 end as text_score
    from candidate c
    join catalog.product p on p.id = c.id
    cross join base
    where p.id <> base.id and p.deleted_at is null and p.status = 'published'
      and not (p.id = any(${[...excludeIds]}::text[]))
      and exists (select 1 from catalog.variant v
        join catalog.variant_price vp on vp.variant_id = v.id and vp.currency = ${currency}
        where v.product_id = p.id and v.deleted_at is null and v.in_stock)
    order by shared desc, text_score desc, p.id
    limit ${limit}`.execute(db)
  return rows.map((r) => r.id)
}
