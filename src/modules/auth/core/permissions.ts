/** Account roles, least to most privileged. */
export const ROLES = ['customer', 'staff', 'admin'] as const
export type Role = (typeof ROLES)[number]

/**
 * Every permission a route may require (`config: { access: { permission } }`). Extension point:
 * a new capability adds its name here and to the roles that hold it.
 */
export const PERMISSIONS = [
  'catalog:read',
  'catalog:write',
  'inventory:write',
  'orders:read',
  'orders:manage',
  'orders:refund',
  'customers:read',
  'staff:manage',
  'webhooks:manage',
  'promotions:manage',
  'reviews:moderate',
  'api_keys:manage',
  'audit:read',
  'jobs:read',
  /** An agent platform's API key: the Agentic Commerce Protocol's checkout sessions at /acp. */
  'agentic_checkout',
] as const
export type Permission = (typeof PERMISSIONS)[number]

const STAFF: readonly Permission[] = [
  'catalog:read',
  'catalog:write',
  'inventory:write',
  'orders:read',
  'orders:manage',
  'customers:read',
  'promotions:manage',
  'reviews:moderate',
]

/**
 * Permissions follow from the role at verification time rather than riding in the token, so a
 * change here applies to every live token at once.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = Object.freeze({
  customer: new Set<Permission>(),
  staff: new Set<Permission>(STAFF),
  admin: new Set<Permission>(PERMISSIONS),
})

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function permissionsFor(role: Role): ReadonlySet<Permission> {
  return ROLE_PERMISSIONS[role]
}
