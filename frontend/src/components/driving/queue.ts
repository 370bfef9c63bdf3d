import type { FeedUnit } from '../../lib/types.ts'

/**
 * The hands-free queue's rules, free of the DOM so they can be checked by hand: which units join
 * the queue, when to ask for more, which progress marks to report, and whether leaving a unit
 * was a skip.
 */

/** A unit that can be played: it has audio with a URL. */
export type PlayableUnit = FeedUnit & { audio: NonNullable<FeedUnit['audio']> }

const isPlayable = (unit: FeedUnit): unit is PlayableUnit => !!unit.audio?.url

/** Ask for more audio when less than this is left to play. */
export const refillBelowMs = 3 * 60_000
/** Progress marks reported as `audio_progress` (the last one, near the end, as `complete`). */
export const progressMarks = [0.25, 0.5, 0.75] as const
export const completeAt = 0.95

/** Appends the playable units not already queued, in the server's order; with none, `queue` itself, so a signal holding it stays quiet. */
export function mergeQueue(queue: readonly PlayableUnit[], incoming: readonly FeedUnit[]): readonly PlayableUnit[] {
  const known = new Set(queue.map((unit) => unit.id))
  const added: PlayableUnit[] = []
  for (const unit of incoming) {
    if (!isPlayable(unit) || known.has(unit.id)) continue
    known.add(unit.id)
    added.push(unit)
  }
  return added.length === 0 ? queue : [...queue, ...added]
}

/** Milliseconds left: the rest of the current unit plus every unit after it. */
export function remainingMs(queue: readonly PlayableUnit[], index: number, currentMs: number, currentDurationMs: number | null): number {
  const current = queue[index]
  if (!current) return 0
  const duration = currentDurationMs ?? current.audio.duration_ms ?? 0
  let left = Math.max(0, duration - currentMs)
  for (const unit of queue.slice(index + 1)) left += unit.audio.duration_ms ?? 0
  return left
}

/** Marks newly passed at `fraction` of the audio, each reported once. */
export function passedMarks(fraction: number, reported: ReadonlySet<number>): number[] {
  return progressMarks.filter((mark) => fraction >= mark && !reported.has(mark))
}

/**
 * Leaving a unit before `completeAt` by choice is a skip; after it, or when it ended by itself, it
 * was heard (its `complete` has been sent by then).
 */
export function leftEarly(fraction: number, reason: 'ended' | 'next' | 'previous'): boolean {
  return reason !== 'ended' && fraction < completeAt
}

const titleLength = 90

/** A unit's title for the screen and the lock screen: its own title, else its opening words. */
export function unitTitle(unit: FeedUnit): string {
  const body = unit.body as { title?: string; text?: string; statement?: string; question?: string }
  const text = (body.title || body.statement || body.question || body.text || '').replace(/\s+/g, ' ').trim()
  if (text.length <= titleLength) return text
  const sentence = text.match(/^.{20,}?[.!?](?=\s|$)/)?.[0]
  if (sentence && sentence.length <= titleLength) return sentence
  const cut = text.slice(0, titleLength)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), titleLength - 20)).trimEnd()}…`
}

/** The playback speeds the speed button steps through, in order. */
export const speeds = [1, 1.25, 1.5, 0.75] as const

export function nextSpeed(current: number): number {
  const index = speeds.findIndex((speed) => speed === current)
  return speeds[(index + 1) % speeds.length]!
}

/** m:ss, for the elapsed and remaining times. */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
