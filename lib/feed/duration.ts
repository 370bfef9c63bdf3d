/**
 * How long a unit takes to get through, for the offline pack (issue 8: "pick a topic and 15/30/60
 * minutes"). Pure: the unit's type, body and audio length in, milliseconds out.
 *
 *   audio ready            → the clip's duration
 *   quiz                   → 20 s (read the question, think, tap)
 *   anything else          → max(4 s, words / 200 wpm)
 *
 * Words are counted over every string in the body (title, text, the expandable detail, a
 * scenario's lines, a storyboard's captions): offline, with time to spare, the learner reads it all.
 */

export const readingWordsPerMinute = 200
export const quizMs = 20_000
/** Even a one-line insight takes a glance and a swipe. */
export const minimumReadingMs = 4_000

export interface DurationInput {
  type: string
  body: unknown
  /** The synthesized clip's length, when the unit has audio ready. */
  audioDurationMs?: number | null
}

export function estimateUnitMs(unit: DurationInput): number {
  if (typeof unit.audioDurationMs === 'number' && Number.isFinite(unit.audioDurationMs) && unit.audioDurationMs > 0) return Math.round(unit.audioDurationMs)
  if (unit.type === 'quiz') return quizMs
  return Math.max(minimumReadingMs, Math.round((countWords(unit.body) / readingWordsPerMinute) * 60_000))
}

/** Words in every string value of a JSON value, however deeply nested. */
export function countWords(value: unknown): number {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean).length
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countWords(item), 0)
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((sum: number, item) => sum + countWords(item), 0)
  return 0
}

/**
 * The shortest prefix of `ordered` whose estimates add up to at least `wantedMs` (all of it when the
 * stock is shorter), with the total.
 */
export function fillDuration<T>(ordered: readonly T[], estimateMs: (item: T) => number, wantedMs: number): { items: T[]; durationMs: number } {
  const items: T[] = []
  let durationMs = 0
  for (const item of ordered) {
    if (durationMs >= wantedMs) break
    items.push(item)
    durationMs += estimateMs(item)
  }
  return { items, durationMs }
}
