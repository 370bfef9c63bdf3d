import { lastDays } from '../../lib/days.ts'
import { inner, type Frame } from '../chart-frame.ts'

/**
 * Geometry of the AI cost bar chart, kept pure so it is tested with hand-computed values. The
 * chart is inline SVG; this file decides the scale (a "nice" maximum and its ticks) and where each
 * day's bar goes.
 */

export type { Frame } from '../chart-frame.ts'

export interface Scale {
  /** Top of the axis: the first "nice" number (1, 2, 2.5 or 5 × 10ⁿ) at or above the largest value. */
  max: number
  /** Evenly spaced values from 0 to max inclusive. */
  ticks: number[]
}

const steps = [1, 2, 2.5, 5, 10]

/**
 * The smallest 1/2/2.5/5 × 10ⁿ ≥ value, split into `count` intervals. An all-zero (or empty)
 * series still gets an axis (0…1) so the chart does not collapse.
 */
export function niceScale(value: number, count = 4): Scale {
  if (!(value > 0) || !Number.isFinite(value)) return { max: 1, ticks: Array.from({ length: count + 1 }, (_, index) => index / count) }
  const rough = value / count
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = steps.find((candidate) => candidate * magnitude >= rough - rough * 1e-9)! * magnitude
  const max = step * count
  // Rounded so 0.1 × 3 prints as 0.3, not 0.30000000000000004.
  const round = (tick: number) => Number(tick.toPrecision(12))
  return { max: round(max), ticks: Array.from({ length: count + 1 }, (_, index) => round(step * index)) }
}

export interface Bar {
  x: number
  y: number
  width: number
  height: number
}

/**
 * One bar per value, evenly spread over the plot area, a quarter of each slot left as gap. A value
 * above 0 is at least 1 unit tall so a tiny cost is still visible next to a large one.
 */
export function barLayout(values: readonly number[], max: number, frame: Frame): Bar[] {
  const { width: plotWidth, height: plotHeight } = inner(frame)
  const slot = values.length > 0 ? plotWidth / values.length : 0
  const gap = slot * 0.25
  const baseline = frame.top + plotHeight
  return values.map((value, index) => {
    const height = value > 0 && max > 0 ? Math.max(1, (Math.min(value, max) / max) * plotHeight) : 0
    return { x: frame.left + index * slot + gap / 2, y: baseline - height, width: slot - gap, height }
  })
}

/**
 * Which day labels to print under the bars: all of them when they fit, otherwise every n-th,
 * always including the last day (today), so 30 bars on a phone stay readable.
 */
export function labelledDays(count: number, maxLabels: number): Set<number> {
  const every = Math.max(1, Math.ceil(count / Math.max(1, maxLabels)))
  const shown = new Set<number>()
  for (let index = count - 1; index >= 0; index -= every) shown.add(index)
  return shown
}

/** The last `days` UTC days ending today, as the ai-usage endpoint takes them (from and to inclusive). */
export function usageRange(now: Date, days: number): { from: string; to: string } {
  const today = now.toISOString().slice(0, 10)
  return { from: lastDays(today, days)[0]!, to: today }
}
