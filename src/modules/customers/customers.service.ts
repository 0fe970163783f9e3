import type { Logger } from 'pino'
import { narrow, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import { newId } from '../../shared/ids.js'
import { CustomersErrors } from './customers.errors.js'
import {
  clearDefaultAddress,
  countAddresses,
  deleteAddress,
  deleteAllAddresses,
  findAddress,
  insertAddress,
  listAddresses,
  lockAddressBook,
  promoteNewestAddress,
  updateAddress,
  type AddressFields,
  type AddressRecord,
  type CustomersDb,
} from './customers.repo.js'
import type { Address, CreateAddressInput, UpdateAddressInput } from './customers.schema.js'
import type { CustomersTables } from './customers.tables.js'

/** How many addresses one account keeps: enough for anyone, small enough to list unpaginated. */
export const MAX_ADDRESSES = 50

/** The customers module's API. Every call names the owner: there is no unscoped access. */
export interface CustomersService {
  listAddresses(userId: string): Promise<Address[]>
  getAddress(userId: string, addressId: string): Promise<Address>
  createAddress(userId: string, input: CreateAddressInput): Promise<Address>
  updateAddress(userId: string, addressId: string, input: UpdateAddressInput): Promise<Address>
  deleteAddress(userId: string, addressId: string): Promise<void>
  /** Removes every address of the account (account deletion); idempotent. */
  forgetCustomer(userId: string): Promise<number>
}

export interface CustomersServiceDeps {
  db: CustomersDb
  uow: UnitOfWork
  logger: Logger
}

function toPublicAddress(record: AddressRecord): Address {
  return {
    id: record.id,
    name: record.name,
    line1: record.line1,
    line2: record.line2,
    city: record.city,
    region: record.region,
    postalCode: record.postalCode,
    country: record.country,
    phone: record.phone,
    isDefault: record.isDefault,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  }
}

const blankToNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null || value.trim() === '' ? null : value.trim()

/** Trims text, upper-cases the country and drops fields that were not given. */
function normalize(input: UpdateAddressInput): Partial<AddressFields> {
  const out: Partial<AddressFields> = {}
  if (input.name !== undefined) out.name = input.name.trim()
  if (input.line1 !== undefined) out.line1 = input.line1.trim()
  if (input.city !== undefined) out.city = input.city.trim()
  if (input.postalCode !== undefined) out.postalCode = input.postalCode.trim()
  if (input.country !== undefined) out.country = input.country.toUpperCase()
  const line2 = blankToNull(input.line2)
  const region = blankToNull(input.region)
  const phone = blankToNull(input.phone)
  if (line2 !== undefined) out.line2 = line2
  if (region !== undefined) out.region = region
  if (phone !== undefined) out.phone = phone
  return out
}

export function createCustomersService(deps: CustomersServiceDeps): CustomersService {
  const { db, uow, logger } = deps

  return {
    async listAddresses(userId) {
      return (await listAddresses(db, userId)).map(toPublicAddress)
    },

    async getAddress(userId, addressId) {
      const found = await findAddress(db, userId, addressId)
      if (!found) throw CustomersErrors.addressNotFound(addressId)
      return toPublicAddress(found)
    },

    async createAddress(userId, input) {
      const fields = normalize(input) as AddressFields
      const created = await uow.run(async (t) => {
        const trx = narrow<CustomersTables>(t)
        await lockAddressBook(trx, userId)
        const count = await countAddresses(trx, userId)
        if (count >= MAX_ADDRESSES) throw CustomersErrors.addressLimitReached(MAX_ADDRESSES)
        const isDefault = input.isDefault === true || count === 0
        if (isDefault) await clearDefaultAddress(trx, userId)
        return insertAddress(trx, {
          ...fields,
          line2: fields.line2 ?? null,
          region: fields.region ?? null,
          phone: fields.phone ?? null,
          id: newId('adr'),
          userId,
          isDefault,
        })
      })
      return toPublicAddress(created)
    },

    async updateAddress(userId, addressId, input) {
      const updated = await uow.run(async (t) => {
        const trx = narrow<CustomersTables>(t)
        await lockAddressBook(trx, userId)
        if (input.isDefault === true) await clearDefaultAddress(trx, userId, addressId)
        const patch = {
          ...normalize(input),
          ...(input.isDefault === undefined ? {} : { isDefault: input.isDefault }),
        }
        return updateAddress(trx, userId, addressId, patch)
      })
      if (!updated) throw CustomersErrors.addressNotFound(addressId)
      return toPublicAddress(updated)
    },

    async deleteAddress(userId, addressId) {
      await uow.run(async (t) => {
        const trx = narrow<CustomersTables>(t)
        await lockAddressBook(trx, userId)
        const deleted = await deleteAddress(trx, userId, addressId)
        if (!deleted) throw CustomersErrors.addressNotFound(addressId)
        // Checkout pre-fills the default: keep one as long as any address is left.
        if (deleted.wasDefault) await promoteNewestAddress(trx, userId)
      })
    },

    async forgetCustomer(userId) {
      const removed = await deleteAllAddresses(db, userId)
      logger.info({ userId, removed }, 'customer addresses removed')
      return removed
    },
  }
}
