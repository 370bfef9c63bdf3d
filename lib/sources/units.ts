import { z } from 'zod'
import type { Ctx } from '../context.ts'
import type { AuthUser } from '../platform/define.ts'
import { AppError } from '../errors.ts'
import { findOwnSource, listSourceUnitRows } from '../db/sources.ts'
import { decodeTimeCursor, encodeTimeCursor } from '../platform/cursor.ts'
import type { FeedUnitView } from '../feed/api/next.ts'
import { renderListed } from '../feed/api/servable.ts'

/**
 * `GET /api/v1/sources/{id}/units`: what a learner's document became, for the library's "see its
 * units". The units are rendered as the feed renders them (no answer keys, audio signed now) and
 * listing them is browsing: nothing is marked seen.
 */

export const SourceUnitsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(200).optional(),
})
export type SourceUnitsQuery = z.infer<typeof SourceUnitsQuery>

export interface SourceUnitItemView {
  unit: FeedUnitView
  /** When the learner first saw the unit in the feed; null while it is still new to them. */
  seen_at: string | null
}

export interface SourceUnitsPage {
  items: SourceUnitItemView[]
  next_cursor: string | null
}

/** In the order they were made; someone else's source answers 404, like the other source endpoints. */
export async function listSourceUnits(ctx: Ctx, user: AuthUser, sourceId: string, query: SourceUnitsQuery): Promise<SourceUnitsPage> {
  const after = query.cursor === undefined ? undefined : decodeTimeCursor(query.cursor)
  const source = await findOwnSource(ctx.sql, user.id, sourceId)
  if (!source) throw new AppError('not_found', { message: 'No such source.' })
  const rows = await listSourceUnitRows(ctx.sql, { userId: user.id, sourceId, limit: query.limit + 1, after })
  const page = rows.slice(0, query.limit)
  const reason = { code: 'library', text: `Your library: ${source.title}` } as const
  const items = await Promise.all(page.map(async (row) => ({ unit: await renderListed(ctx, row, reason), seen_at: row.last_seen_at?.toISOString() ?? null })))
  const last = page.at(-1)
  return { items, next_cursor: rows.length > query.limit && last ? encodeTimeCursor(last.created_at, last.id) : null }
}
