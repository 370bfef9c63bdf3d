import { z } from 'zod'
import { touchSession } from './habit.ts'
import { addOccurrence, movingAverage, updateCentroid, updateFormatWeight } from './personalize.ts'
import { cardKey, contextModes, formats, keepLast, limitsOfState, topicState } from './types.ts'
import type { ContextMode, Format, LearnerState, ServedEntry, ServedKind, UnitFacts } from './types.ts'

/**
 * Learner signals for `POST /api/v1/feed/events` (issue 6, point 2) and the pure fold of a batch
 * into the learner's state. Batches may arrive late, out of order and more than once (a phone
 * retries after losing the acknowledgement): each event has a client-made id, and an id already
 * folded changes nothing.
 */

export const feedEventTypes = ['impression', 'dwell', 'skip', 'like', 'dislike', 'save', 'complete', 'audio_progress', 'expand'] as const
export type FeedEventType = (typeof feedEventTypes)[number]

/** A day in milliseconds: no single dwell is longer. */
const maxMs = 86_400_000

export const FeedEventSchema = z
  .object({
    /** Made by the client (a UUID or any unique string); the key for idempotency. */
    client_id: z.string().trim().min(1).max(100),
    /** When it happened on the device, with an offset: events are folded in this order. */
    timestamp: z.iso.datetime({ offset: true }),
    type: z.enum(feedEventTypes),
    unit_id: z.uuid(),
    /** Time on the unit, for dwell and skip. */
    ms: z.number().int().min(0).max(maxMs).optional(),
    /** Share of the audio heard, 0–1, for audio_progress. */
    progress: z.number().min(0).max(1).optional(),
    /** The context the client was in; the learner's preference when absent. */
    mode: z.enum(contextModes).optional(),
    /** How the unit was presented (an insight played as audio); the unit's own format when absent. */
    format: z.enum(formats).optional(),
  })
  .superRefine((event, context) => {
    if ((event.type === 'dwell' || event.type === 'skip') && event.ms === undefined) context.addIssue({ code: 'custom', path: ['ms'], message: `${event.type} needs ms` })
    if (event.type === 'audio_progress' && event.progress === undefined) context.addIssue({ code: 'custom', path: ['progress'], message: 'audio_progress needs progress' })
  })
export type FeedEvent = z.infer<typeof FeedEventSchema>

export const FeedEventBatchSchema = z.object({ events: z.array(FeedEventSchema).min(1).max(200) })
export type FeedEventBatch = z.infer<typeof FeedEventBatchSchema>

/** Audio counts as finished from 95 % heard (the last seconds are often a fade). */
export const audioFinished = 0.95

/**
 * Engagement in [0,1] that one event says about the format and topic it was served in; null when
 * the event says nothing (an impression, audio still playing).
 *
 * | event              | engagement                                   |
 * |--------------------|----------------------------------------------|
 * | complete, like, save | 1                                          |
 * | expand             | 0.8                                          |
 * | dwell (ms)         | min(1, ms / expected time)                   |
 * | skip (ms)          | min(0.3, 0.3 · ms / expected time) — a glance counts for little |
 * | audio_progress ≥ 95 % | 1                                         |
 * | dislike            | 0                                            |
 */
export function engagementOf(event: Pick<FeedEvent, 'type' | 'ms' | 'progress'>, unit: Pick<UnitFacts, 'estimatedSeconds'>): number | null {
  const expectedMs = Math.max(1, unit.estimatedSeconds) * 1000
  switch (event.type) {
    case 'complete':
    case 'like':
    case 'save':
      return 1
    case 'expand':
      return 0.8
    case 'dwell':
      return Math.min(1, (event.ms ?? 0) / expectedMs)
    case 'skip':
      return Math.min(0.3, (0.3 * (event.ms ?? 0)) / expectedMs)
    case 'audio_progress':
      return (event.progress ?? 0) >= audioFinished ? 1 : null
    case 'dislike':
      return 0
    case 'impression':
      return null
  }
}

export interface FoldResult {
  state: LearnerState
  /** Client ids folded now. */
  applied: string[]
  /** Client ids seen before (in this batch or an earlier one): ignored. */
  duplicates: string[]
  /** Events about units the caller could not describe (deleted since): recorded as seen, no effect. */
  unknownUnits: string[]
}

/** When an event happened: its device time, never later than its arrival (`now`), so a fast clock cannot write the future. */
export function eventTime(event: Pick<FeedEvent, 'timestamp'>, now: Date): number {
  return Math.min(Date.parse(event.timestamp), now.getTime())
}

/**
 * Folds a batch of events into the state. Events are applied in timestamp order (ties by client
 * id), so a batch folds the same whatever order it arrived in. Signals that are averages (format
 * weights, the centroid, decaying counts) take late events too; signals about "now" — the skip
 * streak and the session — only move for events newer than any folded before. A timestamp in the
 * future (a clock running ahead) counts as `now`.
 */
export function applyEvents(state: LearnerState, events: readonly FeedEvent[], units: ReadonlyMap<string, UnitFacts>, options: { now: Date }): FoldResult {
  const next: LearnerState = structuredClone(state)
  const known = new Set(next.recent.eventIds)
  const duplicates: string[] = []
  const fresh: { event: FeedEvent; at: number }[] = []
  for (const event of events) {
    if (known.has(event.client_id)) {
      duplicates.push(event.client_id)
      continue
    }
    known.add(event.client_id)
    fresh.push({ event, at: eventTime(event, options.now) })
  }
  fresh.sort((a, b) => a.at - b.at || (a.event.client_id < b.event.client_id ? -1 : a.event.client_id > b.event.client_id ? 1 : 0))

  const applied: string[] = []
  const unknownUnits: string[] = []
  for (const { event, at } of fresh) {
    next.recent.eventIds = keepLast([...next.recent.eventIds, event.client_id], limitsOfState.eventIds)
    const unit = units.get(event.unit_id)
    if (!unit) {
      unknownUnits.push(event.client_id)
      continue
    }
    foldOne(next, event, unit, at)
    applied.push(event.client_id)
  }
  return { state: next, applied, duplicates, unknownUnits }
}

/** Mutates `state`, a private copy made by `applyEvents`. */
function foldOne(state: LearnerState, event: FeedEvent, unit: UnitFacts, at: number): void {
  const recent = state.recent
  const inOrder = recent.lastEventAt === null || at >= recent.lastEventAt
  Object.assign(recent, touchSession(recent, at))
  recent.lastEventAt = Math.max(recent.lastEventAt ?? at, at)

  const mode: ContextMode = event.mode ?? state.preferences.contextMode
  const format: Format = event.format ?? (event.type === 'audio_progress' ? 'audio' : unit.format)
  const topic = { ...topicState(state, unit.topicId) }

  if (event.type === 'impression') {
    if (!recent.served.some((entry) => entry.unitId === unit.unitId)) {
      recent.served = keepLast(insertByTime(recent.served, servedEntry(state, unit, at)), limitsOfState.served)
      topic.impressions += 1
    }
    // A teaching unit on a missed concept is the re-teach; the learner has now seen it.
    if (unit.type !== 'quiz') recent.reteach = recent.reteach.filter((item) => item.topicId !== unit.topicId || !unit.conceptKeys.includes(item.conceptKey))
  }

  const engagement = engagementOf(event, unit)
  if (engagement !== null) {
    state.formatWeights = updateFormatWeight(state, mode, format, engagement)
    topic.engagement = movingAverage(topic.engagement, engagement)
  }

  const finishedAudio = event.type === 'audio_progress' && (event.progress ?? 0) >= audioFinished
  if ((event.type === 'like' || event.type === 'save' || event.type === 'complete' || finishedAudio) && unit.embedding) {
    state.centroid = updateCentroid(state.centroid, unit.embedding)
  }
  if (finishedAudio) recent.audioCompletions = addOccurrence(recent.audioCompletions, at)
  if (event.type === 'like' && unit.isLibrary) recent.libraryLikes = addOccurrence(recent.libraryLikes, at)

  if (inOrder) {
    if (event.type === 'skip') recent.skipStreak += 1
    else if (engagement !== null && engagement >= 0.5) recent.skipStreak = 0
  }
  state.topics = { ...state.topics, [unit.topicId]: topic }
}

function servedEntry(state: LearnerState, unit: UnitFacts, at: number): ServedEntry {
  // A quiz on a concept already recalled before is a review; the first quiz on it is not.
  const kind: ServedKind = unit.type !== 'quiz' ? 'unit' : unit.conceptKeys.some((key) => (state.cards[cardKey(unit.topicId, key)]?.reps ?? 0) > 0) ? 'review' : 'quiz'
  return { unitId: unit.unitId, topicId: unit.topicId, type: unit.type, kind, isLibrary: unit.isLibrary, difficulty: unit.difficulty, conceptKeys: [...unit.conceptKeys], at }
}

function insertByTime(entries: readonly ServedEntry[], entry: ServedEntry): ServedEntry[] {
  const index = entries.findIndex((existing) => existing.at > entry.at)
  return index === -1 ? [...entries, entry] : [...entries.slice(0, index), entry, ...entries.slice(index)]
}
