import type { TSchema } from '@sinclair/typebox'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * A route's TypeBox schema as a self-contained JSON Schema, as MCP clients want `inputSchema`
 * and `outputSchema`: each `$ref` to a shared schema (`Money`, `Product`, `Order` …, registered
 * on the app by `$id`) points into the document's own `$defs`, which carry those schemas. A
 * recursive schema (a category's children) stays a `$ref` to its own definition.
 */
export function selfContained(schema: TSchema, registry: readonly TSchema[]): Record<string, Json> {
  const byId = new Map(registry.map((s) => [s.$id as string, s]))
  const defs: Record<string, Json> = {}
  const pending: string[] = []

  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite)
    if (node === null || typeof node !== 'object') return node
    const out: Record<string, Json> = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === '$id') continue
      if (key === '$ref' && typeof value === 'string' && byId.has(value)) {
        if (!(value in defs) && !pending.includes(value)) pending.push(value)
        out.$ref = `#/$defs/${value}`
      } else {
        out[key] = rewrite(value)
      }
    }
    return out
  }

  // A reference at the root (`Type.Ref(ProductSchema)`) is replaced by what it names: MCP wants
  // an object schema there. The JSON round trip drops TypeBox's symbol keys (Kind, Optional).
  const named = typeof schema.$ref === 'string' ? byId.get(schema.$ref) : undefined
  const root = rewrite(JSON.parse(JSON.stringify(named ?? schema)) as Json) as Record<string, Json>
  for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
    defs[id] = null
    defs[id] = rewrite(JSON.parse(JSON.stringify(byId.get(id))) as Json)
  }
  return Object.keys(defs).length > 0 ? { ...root, $defs: defs } : root
}
