import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../platform/db/database.js'
import { narrow, type Emit, type Tx, type UnitOfWork } from '../../platform/db/unit-of-work.js'
import type { FieldError } from '../../platform/errors.js'
import { InventoryErrors, type Shortage } from './inventory.errors.js'
import { stockChangeEvents } from './inventory.events.js'
import { adjustStock, findStockLevels, toStockLevel } from './inventory.repo.js'
import type { InventoryTables, ReservationStatus } from './inventory.tables.js'
import {
  compare,
  deleteReservationLines,
  findReservationLines,
  holdLine,
  type HeldLine,
  listHeldLines,
  lockExpiredReferences,
  lockReference,
  transitionLines,
  type ReservationLine,
} from './reservations.repo.js'

export type { ReservationLine, ReservationStatus }

export interface ReserveItem {
  variantId: string
  quantity: number
}

/** Every line of one reference; its lines always share one status and one expiry. */
export interface Reservation {
  reference: string
  status: ReservationStatus
  expiresAt: Date
  lines: ReservationLine[]
}

type Work<T> = (trx: Transaction<InventoryTables>, emit: Emit) => Promise<T>
type Line = ReserveItem & { index: number }
type Delta = { onHand: number; reserved: number }

function toReservation(reference: string, lines: ReservationLine[]): Reservation {
  const sorted = [...lines].sort((a, b) => compare(a.variantId, b.variantId))
  return { reference, status: sorted[0]!.status, expiresAt: sorted[0]!.expiresAt, lines: sorted }
}

/** Validates, merges repeated variants and sorts by variant id: the order stock rows are locked in. */
function normalize(items: ReserveItem[], ttlSeconds: number): Line[] {
  const errors: FieldError[] = []
  if (items.length === 0) errors.push({ path: '/items', message: 'must not be empty' })
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
    errors.push({ path: '/ttlSeconds', message: 'must be a positive integer' })
  const merged = new Map<string, Line>()
  items.forEach((item, index) => {
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      errors.push({ path: `/items/${index}/quantity`, message: 'must be a positive integer' })
    const line = merged.get(item.variantId)
    if (line) line.quantity += item.quantity
    else merged.set(item.variantId, { ...item, index })
  })
  if (errors.length > 0) throw InventoryErrors.invalidItems(errors)
  return [...merged.values()].sort((a, b) => compare(a.variantId, b.variantId))
}

function sameLines(existing: ReservationLine[], lines: Line[]): boolean {
  if (existing.length !== lines.length) return false
  const wanted = new Map(lines.map((l) => [l.variantId, l.quantity]))
  return existing.every((e) => wanted.get(e.variantId) === e.quantity)
}

/** Applies per-variant deltas in variant-id order (deadlock-free) and emits their events. */
async function applyDeltas(
  trx: Transaction<InventoryTables>,
  emit: Emit,
  deltas: Map<string, Delta>,
): Promise<void> {
  for (const variantId of [...deltas.keys()].sort(compare)) {
    const delta = deltas.get(variantId)!
    const after = await adjustStock(trx, variantId, delta)
    const before = { ...after, available: after.available - delta.onHand + delta.reserved }
    emit(...stockChangeEvents(before, after))
  }
}

function deltasOf(lines: ReservationLine[], perUnit: Delta): Map<string, Delta> {
  const deltas = new Map<string, Delta>()
  for (const l of lines) {
    const d = deltas.get(l.variantId) ?? { onHand: 0, reserved: 0 }
    d.onHand += perUnit.onHand * l.quantity
    d.reserved += perUnit.reserved * l.quantity
    deltas.set(l.variantId, d)
  }
  return deltas
}

/**
 * Holds and records every line or none. On a short line the lines already held are given back
 * here, so even a caller that catches the error and commits its transaction holds nothing.
 */
async function holdAll(
  trx: Transaction<InventoryTables>,
  emit: Emit,
  reference: string,
  lines: Line[],
  ttlSeconds: number,
): Promise<ReservationLine[]> {
  const held: HeldLine[] = []
  for (const [i, line] of lines.entries()) {
    const done = await holdLine(trx, reference, line, ttlSeconds)
    if (done) {
      held.push(done)
      continue
    }
    for (const { line: h } of held)
      await adjustStock(trx, h.variantId, { onHand: 0, reserved: -h.quantity })
    if (held.length > 0) await deleteReservationLines(trx, reference)
    throw await shortageError(trx, lines.slice(i))
  }
  for (const { line, level } of held) {
    const after = toStockLevel(level)
    emit(...stockChangeEvents({ ...after, available: after.available + line.quantity }, after))
  }
  return held.map((h) => h.line)
}

async function shortageError(trx: Transaction<InventoryTables>, rest: Line[]) {
  const levels = await findStockLevels(
    trx,
    rest.map((l) => l.variantId),
  )
  const byId = new Map(levels.map((l) => [l.variantId, l]))
  const unknown = rest.find((l) => !byId.has(l.variantId))
  if (unknown) return InventoryErrors.notFound(unknown.variantId)
  const shortages: Shortage[] = rest
    .map((l) => ({ l, available: byId.get(l.variantId)!.available }))
    .filter(({ l, available }, i) => i === 0 || available < l.quantity)
    .map(({ l, available }) => ({
      index: l.index,
      variantId: l.variantId,
      requested: l.quantity,
      available: Math.max(0, available),
    }))
  return InventoryErrors.outOfStock(shortages)
}

type Trx = Transaction<InventoryTables>

/** Locks the reference (see `lockReference`) and reads its lines. */
async function locked(trx: Trx, reference: string): Promise<ReservationLine[]> {
  await lockReference(trx, reference)
  return findReservationLines(trx, reference)
}

async function move(
  trx: Trx,
  emit: Emit,
  reference: string,
  step: { from: ReservationStatus; to: ReservationStatus; perUnit: Delta },
): Promise<Reservation | undefined> {
  const moved = await transitionLines(trx, [reference], step.from, step.to)
  if (moved.length === 0) return undefined
  await applyDeltas(trx, emit, deltasOf(moved, step.perUnit))
  return toReservation(reference, moved)
}

async function reserveLines(
  trx: Trx,
  emit: Emit,
  reference: string,
  lines: Line[],
  ttlSeconds: number,
  fresh: boolean,
): Promise<Reservation> {
  const existing = fresh ? [] : await locked(trx, reference)
  if (existing.length > 0) {
    if (!sameLines(existing, lines)) throw InventoryErrors.reservationMismatch(reference)
    const reservation = toReservation(reference, existing)
    if (reservation.status === 'released') throw InventoryErrors.reservationReleased(reference)
    return reservation
  }
  return toReservation(reference, await holdAll(trx, emit, reference, lines, ttlSeconds))
}

async function commitLines(trx: Trx, emit: Emit, reference: string): Promise<Reservation> {
  await lockReference(trx, reference)
  // The usual case first: held lines move; the others are read only to say why nothing moved.
  const sold = await move(trx, emit, reference, { from: 'held', to: 'committed', perUnit: SELL })
  if (sold) return sold
  const existing = await findReservationLines(trx, reference)
  if (existing.length === 0) throw InventoryErrors.reservationNotFound(reference)
  if (existing[0]!.status === 'released') throw InventoryErrors.reservationReleased(reference)
  return toReservation(reference, existing)
}

async function releaseLines(trx: Trx, emit: Emit, reference: string) {
  await lockReference(trx, reference)
  const released = await move(trx, emit, reference, {
    from: 'held',
    to: 'released',
    perUnit: UNHOLD,
  })
  if (released) return released
  const existing = await findReservationLines(trx, reference)
  return existing.length === 0 ? undefined : toReservation(reference, existing)
}

async function restockLines(trx: Trx, emit: Emit, reference: string): Promise<Reservation> {
  await lockReference(trx, reference)
  const step = { from: 'committed', to: 'released', perUnit: RESTOCK } as const
  const restocked = await move(trx, emit, reference, step)
  if (restocked) return restocked
  const existing = await findReservationLines(trx, reference)
  if (existing.length === 0) throw InventoryErrors.reservationNotFound(reference)
  if (existing[0]!.status === 'held') throw InventoryErrors.reservationNotCommitted(reference)
  return toReservation(reference, existing)
}

/** One batch of the expiry job: returns how many references it released. */
async function releaseExpiredLines(trx: Trx, emit: Emit, batchSize: number): Promise<number> {
  const references = await lockExpiredReferences(trx, batchSize)
  const moved = await transitionLines(trx, references, 'held', 'released', true)
  await applyDeltas(trx, emit, deltasOf(moved, UNHOLD))
  return references.length
}

// Stock deltas per unit of a line.
const SELL: Delta = { onHand: -1, reserved: -1 }
const UNHOLD: Delta = { onHand: 0, reserved: -1 }
const RESTOCK: Delta = { onHand: 1, reserved: 0 }

export function createReservations(deps: { database: Database; uow: UnitOfWork }) {
  const db = deps.database.db as Kysely<InventoryTables>
  const within = <T>(tx: Tx | undefined, work: Work<T>): Promise<T> =>
    tx
      ? work(narrow<InventoryTables>(tx), tx.emit)
      : deps.uow.run((trx, emit) => work(narrow<InventoryTables>(trx), emit))

  return {
    reserve(
      tx: Tx | undefined,
      reference: string,
      items: ReserveItem[],
      ttl: number,
      options: { fresh?: boolean } = {},
    ) {
      const lines = normalize(items, ttl)
      const fresh = options.fresh ?? false
      return within(tx, (trx, emit) => reserveLines(trx, emit, reference, lines, ttl, fresh))
    },
    commit: (tx: Tx | undefined, reference: string) =>
      within(tx, (trx, emit) => commitLines(trx, emit, reference)),
    release: (tx: Tx | undefined, reference: string) =>
      within(tx, (trx, emit) => releaseLines(trx, emit, reference)),
    restock: (tx: Tx | undefined, reference: string) =>
      within(tx, (trx, emit) => restockLines(trx, emit, reference)),
    releaseExpiredBatch: (batchSize: number) =>
      within(undefined, (trx, emit) => releaseExpiredLines(trx, emit, batchSize)),
    async getReservation(reference: string): Promise<Reservation | undefined> {
      const lines = await findReservationLines(db, reference)
      return lines.length > 0 ? toReservation(reference, lines) : undefined
    },
    listHeld: (variantId: string, limit: number) => listHeldLines(db, variantId, limit),
  }
}

export type Reservations = ReturnType<typeof createReservations>
