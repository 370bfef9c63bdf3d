import type { Ctx } from '../../context.ts'
import type { AuthUser } from '../../platform/define.ts'
import { bumpUnitStats, findCards, findUnitFacts, insertFeedEvents, lockLearnerState, recordViews, saveLearnerState } from '../../db/feed.ts'
import type { StatsIncrement } from '../../db/feed.ts'
import { recordSaves } from '../../db/saved-units.ts'
import { applyEvents, eventTime } from '../events.ts'
import type { FeedEvent, FeedEventBatch } from '../events.ts'
import { emptyStoredState, learnerStateFrom, storedState, unitFactsFromRow } from './state.ts'

/**
 * `POST /api/v1/feed/events`: the batch is stored and folded into the learner's state in one
 * transaction, so the 202 means committed. The events table's key (learner, client id) makes a
 * retried batch a no-op; events about units the learner cannot see are acknowledged and dropped.
 */

export interface EventsResult {
  accepted: number
  duplicates: number
  ignored: number
}

export async function recordFeedEvents(ctx: Ctx, user: AuthUser, batch: FeedEventBatch): Promise<EventsResult> {
  const now = ctx.clock.now()
  return ctx.sql.begin(async (tx) => {
    const row = await lockLearnerState(tx, user.id, emptyStoredState(user.id), now)
    const facts = (await findUnitFacts(tx, user.id, [...new Set(batch.events.map((event) => event.unit_id))])).map(unitFactsFromRow)
    const units = new Map(facts.map((unit) => [unit.unitId, unit]))
    const known = batch.events.filter((event) => units.has(event.unit_id))
    const inserted = await insertFeedEvents(
      tx,
      user.id,
      known.map((event) => ({
        client_id: event.client_id,
        type: event.type,
        unit_id: event.unit_id,
        occurred_at: event.timestamp,
        ms: event.ms ?? null,
        progress: event.progress ?? null,
        mode: event.mode ?? null,
        format: event.format ?? null,
      })),
      now,
    )
    // New to the table, once each: a batch may repeat an id.
    const taken = new Set<string>()
    const fresh = known.filter((event) => inserted.has(event.client_id) && !taken.has(event.client_id) && taken.add(event.client_id))

    // Cards decide whether a quiz impression was a review.
    const quizConcepts = facts.filter((unit) => unit.type === 'quiz').flatMap((unit) => unit.conceptKeys.map((conceptKey) => ({ topicId: unit.topicId, conceptKey })))
    const state = learnerStateFrom(user.id, row, await findCards(tx, user.id, quizConcepts))
    const folded = applyEvents(state, fresh, units, { now })
    await saveLearnerState(tx, user.id, storedState(folded.state), now)

    const applied = new Set(folded.applied)
    const appliedEvents = fresh.filter((event) => applied.has(event.client_id))
    await recordViews(
      tx,
      user.id,
      appliedEvents.filter((event) => event.type === 'impression').map((event) => happened(event, now)),
    )
    await bumpUnitStats(tx, statsOf(appliedEvents), now)
    // New save events only (a re-delivered one is a duplicate above), so an unsave stays unsaved.
    await recordSaves(
      tx,
      user.id,
      appliedEvents.filter((event) => event.type === 'save').map((event) => happened(event, now)),
    )
    return { accepted: fresh.length, duplicates: known.length - fresh.length, ignored: batch.events.length - known.length }
  })
}

/** The unit and when the event happened (`eventTime`). */
function happened(event: FeedEvent, now: Date): { unitId: string; at: Date } {
  return { unitId: event.unit_id, at: new Date(eventTime(event, now)) }
}

function statsOf(events: readonly FeedEvent[]): StatsIncrement[] {
  const byUnit = new Map<string, StatsIncrement>()
  for (const event of events) {
    if (event.type !== 'impression' && event.type !== 'like' && event.type !== 'dislike') continue
    const increment = byUnit.get(event.unit_id) ?? { unit_id: event.unit_id, impressions: 0, likes: 0, dislikes: 0, quiz_attempts: 0, quiz_correct: 0 }
    if (event.type === 'impression') increment.impressions += 1
    else if (event.type === 'like') increment.likes += 1
    else increment.dislikes += 1
    byUnit.set(event.unit_id, increment)
  }
  return [...byUnit.values()]
}
