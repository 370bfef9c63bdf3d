import type { Frame } from '../chart-frame.ts'
import type { DailyAccuracy, TopicProgress } from '../../lib/api-library.ts'

/** Accuracy per local day, for the Today chart and the per-topic sparklines. Pure, so it is tested by hand-computed cases. */

export interface DayPoint {
  date: string
  answered: number
  correct: number
  /** correct ÷ answered, or null on a day without scored answers (a gap, not a zero). */
  accuracy: number | null
}

const dayMs = 86_400_000

/** The `count` calendar days ending with `last` (YYYY-MM-DD), oldest first. */
export function lastDays(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`)
  return Array.from({ length: count }, (_, index) => new Date(end - (count - 1 - index) * dayMs).toISOString().slice(0, 10))
}

/** The learner's local date (YYYY-MM-DD) now, in their time zone when the browser knows it. */
export function localDate(now: Date, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  } catch {
    return now.toISOString().slice(0, 10)
  }
}

/** One series over `days`: the answers of every row on a day added up (several topics, one day). */
export function dailySeries(rows: readonly DailyAccuracy[], days: readonly string[]): DayPoint[] {
  const byDay = new Map<string, { answered: number; correct: number }>()
  for (const row of rows) {
    const day = byDay.get(row.date) ?? { answered: 0, correct: 0 }
    day.answered += row.answered
    day.correct += row.correct
    byDay.set(row.date, day)
  }
  return days.map((date) => {
    const day = byDay.get(date)
    return day && day.answered > 0 ? { date, ...day, accuracy: day.correct / day.answered } : { date, answered: 0, correct: 0, accuracy: null }
  })
}

export function allTopicsSeries(topics: readonly TopicProgress[], days: readonly string[]): DayPoint[] {
  return dailySeries(
    topics.flatMap((topic) => topic.accuracy),
    days,
  )
}

export type { Frame } from '../chart-frame.ts'

export interface PlotPoint {
  x: number
  y: number
  point: DayPoint
}

/**
 * Day i of n sits at x = left + i·(width − left − right)/(n − 1) (the middle when n = 1);
 * accuracy a at y = top + (1 − a)·(height − top − bottom), so 100 % is the top edge.
 */
export function plot(series: readonly DayPoint[], frame: Frame): PlotPoint[] {
  const innerWidth = frame.width - frame.left - frame.right
  const innerHeight = frame.height - frame.top - frame.bottom
  const step = series.length > 1 ? innerWidth / (series.length - 1) : 0
  const points: PlotPoint[] = []
  series.forEach((point, index) => {
    if (point.accuracy === null) return
    const x = series.length > 1 ? frame.left + index * step : frame.left + innerWidth / 2
    points.push({ x: round(x), y: round(frame.top + (1 - point.accuracy) * innerHeight), point })
  })
  return points
}

/** An SVG path through the points; a day without answers breaks the line instead of dropping to zero. */
export function linePath(series: readonly DayPoint[], frame: Frame): string {
  const points = plot(series, frame)
  const indexOf = new Map(series.map((point, index) => [point.date, index]))
  let path = ''
  let previous = -2
  for (const { x, y, point } of points) {
    const index = indexOf.get(point.date)!
    path += `${index === previous + 1 ? 'L' : 'M'}${x} ${y}`
    previous = index
  }
  return path
}

/** Whole-percent accuracy over the series (every answer weighs the same), or null with no answers. */
export function overallAccuracy(series: readonly DayPoint[]): number | null {
  const answered = series.reduce((sum, point) => sum + point.answered, 0)
  if (answered === 0) return null
  return Math.round((series.reduce((sum, point) => sum + point.correct, 0) / answered) * 100)
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}

/**
 * The message key for a count in the language's plural category (Russian has one/few/many:
 * 1 день, 2 дня, 5 дней). English uses one/other; the dictionaries carry all four for both.
 */
export function pluralCategory(locale: string, count: number): 'one' | 'few' | 'many' | 'other' {
  const category = new Intl.PluralRules(locale).select(count)
  return category === 'one' || category === 'few' || category === 'many' ? category : 'other'
}
