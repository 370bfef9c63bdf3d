import type { Ctx } from '../../context.ts'
import type { ServableUnitRow } from '../../db/saved-units.ts'
import { modeRules, servedFormat } from '../modes.ts'
import type { Candidate, Context, Reason, UnitItem } from '../types.ts'
import { renderUnit } from './next.ts'
import type { FeedUnitView } from './next.ts'
import { candidateFromRow } from './state.ts'

/**
 * Units served outside the ranked feed (the saved list, the offline pack) go through the feed's
 * own `renderUnit`, so the client gets the same shape: no answer keys, audio signed now.
 */

/**
 * Browsing a list or a pack for later is not a context the learner is in: everything is allowed
 * and nothing autoplays, as when idle in the daytime (late night would only shorten the ranking's
 * length target, which says nothing about when the pack is used).
 */
export const browsingContext: Context = { mode: 'idle', localHour: 12 }

export function candidateFromServable(row: ServableUnitRow, embedding: ArrayLike<number> | null = null): Candidate {
  return candidateFromRow(
    { ...row, created_at: row.created_at.toISOString(), last_seen_at: row.last_seen_at?.toISOString() ?? null },
    embedding,
  )
}

/** The item the ranking would have made for a unit it did not rank, presented as when browsing. */
export function browsingItem(candidate: Candidate, reason: Reason): UnitItem {
  return {
    kind: 'unit',
    unitId: candidate.unitId,
    topicId: candidate.topicId,
    type: candidate.type,
    quizKind: candidate.quizKind,
    format: servedFormat(modeRules(browsingContext), candidate),
    role: candidate.type === 'quiz' ? 'quiz' : 'unit',
    autoplay: false,
    reason,
  }
}

export function renderServable(ctx: Ctx, item: UnitItem, candidate: Candidate, row: ServableUnitRow): Promise<FeedUnitView> {
  return renderUnit(ctx, item, candidate, { id: row.id, body: row.body, audio: row.audio, citation: row.citation })
}

/** A unit in a list the learner browses (saved units, a source's units), given why it is there. */
export function renderListed(ctx: Ctx, row: ServableUnitRow, reason: Reason): Promise<FeedUnitView> {
  const candidate = candidateFromServable(row)
  return renderServable(ctx, browsingItem(candidate, reason), candidate, row)
}
