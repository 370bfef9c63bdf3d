import { z } from 'zod'
import type { Ctx } from '../../context.ts'
import type { AuthUser } from '../../platform/define.ts'
import type { PersonalDataSection } from '../../accounts/personal-data.ts'
import { exportSavedUnits, listSavedUnits, removeSave } from '../../db/saved-units.ts'
import { decodeTimeCursor, encodeTimeCursor } from '../../platform/cursor.ts'
import type { FeedUnitView } from './next.ts'
import { renderListed } from './servable.ts'

/**
 * `GET /api/v1/me/saved` and `DELETE /api/v1/me/saved/{unitId}` (issue 8, the "saved" screen).
 * Saving is the `save` feed event (`POST /api/v1/feed/events` writes `saved_units` in its
 * transaction, lib/feed/api/events.ts); unsaving is remembered with its time, so an older save
 * arriving late does not undo it (sql/0009_saved_units.sql).
 */

export const SavedQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(200).optional(),
})
export type SavedQuery = z.infer<typeof SavedQuery>

export const SavedParams = z.object({ unitId: z.uuid() })

export interface SavedItemView {
  unit: FeedUnitView
  saved_at: string
}

export interface SavedPage {
  items: SavedItemView[]
  next_cursor: string | null
}

const savedReason = { code: 'saved', text: 'You saved this' } as const

/** Newest save first; units retired, hidden or deleted since are left out. */
export async function listSaved(ctx: Ctx, user: AuthUser, query: SavedQuery): Promise<SavedPage> {
  const before = query.cursor === undefined ? undefined : decodeTimeCursor(query.cursor)
  const rows = await listSavedUnits(ctx.sql, { userId: user.id, limit: query.limit + 1, before })
  const page = rows.slice(0, query.limit)
  const items = await Promise.all(page.map(async (row) => ({ unit: await renderListed(ctx, row, savedReason), saved_at: row.saved_at.toISOString() })))
  const last = page.at(-1)
  return { items, next_cursor: rows.length > query.limit && last ? encodeTimeCursor(last.saved_at, last.id) : null }
}

/** Idempotent: unsaving a unit that is not saved (or does not exist) succeeds too. */
export async function unsave(ctx: Ctx, user: AuthUser, unitId: string): Promise<void> {
  await removeSave(ctx.sql, user.id, unitId, ctx.clock.now())
}

/** The rows reference users(id) with `on delete cascade`: deletion needs no `erase`. */
export const savedUnitsSection: PersonalDataSection = {
  name: 'saved_units',
  async export(ctx: Ctx, userId: string) {
    const rows = await exportSavedUnits(ctx.sql, userId)
    return rows.map((row) => ({ unit_id: row.unit_id, saved_at: row.saved_at?.toISOString() ?? null, removed_at: row.removed_at?.toISOString() ?? null }))
  },
}
