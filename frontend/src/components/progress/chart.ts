import { inner, yOf, type Frame } from '../chart-frame.ts'
import type { DailyAccuracy, TopicProgress } from '../../lib/api-library.ts'

/** Accuracy per local day, for the Today chart and the per-topic sparklines. Pure, so it is tested by hand-computed cases. */

export interface DayPoint {
  date: string
  answered: number
  correct: number
  /** correct ÷ answered, or null on a day without scored answers (a gap, not a zero). */
  accuracy: number | null
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
  /** The day's place in the series, so a line knows where days without answers break it. */
  index: number
}

/**
 * Day i of n sits at x = left + i·(width − left − right)/(n − 1) (the middle when n = 1);
 * accuracy a at y = top + (1 − a)·(height − top − bottom), so 100 % is the top edge.
 */
export function plot(series: readonly DayPoint[], frame: Frame): PlotPoint[] {
  const width = inner(frame).width
  const step = series.length > 1 ? width / (series.length - 1) : 0
  const points: PlotPoint[] = []
  series.forEach((point, index) => {
    if (point.accuracy === null) return
    const x = series.length > 1 ? frame.left + index * step : frame.left + width / 2
    points.push({ x: round(x), y: round(yOf(point.accuracy, 1, frame)), index })
  })
  return points
}

/** An SVG path through plotted points; a day without answers breaks the line instead of dropping to zero. */
export function linePath(points: readonly PlotPoint[]): string {
  let path = ''
  let previous = -2
  for (const { x, y, index } of points) {
    path += `${index === previous + 1 ? 'L' : 'M'}${x} ${y}`
    previous = index
  }
  return path
}

export interface Accuracy {
  answered: number
  correct: number
  /** Whole-percent accuracy (every answer weighs the same), or null with no answers. */
  percent: number | null
}

/** The answers of the whole series added up, and the accuracy they make. */
export function overallAccuracy(series: readonly DayPoint[]): Accuracy {
  let answered = 0
  let correct = 0
  for (const point of series) {
    answered += point.answered
    correct += point.correct
  }
  return { answered, correct, percent: answered === 0 ? null : Math.round((correct / answered) * 100) }
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
