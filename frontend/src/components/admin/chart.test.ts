import { describe, expect, it } from 'vitest'
import { yOf } from '../chart-frame.ts'
import { barLayout, labelledDays, niceScale, usageRange } from './chart.ts'

const frame = { width: 300, height: 140, top: 10, right: 0, bottom: 30, left: 40 }

describe('niceScale', () => {
  it('rounds the largest value up to 1, 2, 2.5 or 5 × 10ⁿ per tick', () => {
    expect(niceScale(0.0174)).toEqual({ max: 0.02, ticks: [0, 0.005, 0.01, 0.015, 0.02] })
    expect(niceScale(1.015)).toEqual({ max: 2, ticks: [0, 0.5, 1, 1.5, 2] })
    expect(niceScale(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] })
    expect(niceScale(0.3)).toEqual({ max: 0.4, ticks: [0, 0.1, 0.2, 0.3, 0.4] })
    expect(niceScale(9)).toEqual({ max: 10, ticks: [0, 2.5, 5, 7.5, 10] })
  })

  it('keeps a value that is already nice as the maximum', () => {
    expect(niceScale(4).max).toBe(4)
    expect(niceScale(20).max).toBe(20)
  })

  it('gives an empty or all-zero range an axis from 0 to 1', () => {
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] })
    expect(niceScale(Number.NaN).max).toBe(1)
  })
})

describe('barLayout', () => {
  it('spreads bars over the plot with a quarter-slot gap, heights in proportion to the max', () => {
    // plot: x 40…300 (260 wide), y 10…110 (100 tall); 4 slots of 65, bars 48.75 wide.
    const bars = barLayout([0, 1, 2, 4], 4, frame)
    expect(bars.map((bar) => bar.x)).toEqual([48.125, 113.125, 178.125, 243.125])
    expect(bars.every((bar) => bar.width === 48.75)).toBe(true)
    expect(bars.map((bar) => bar.height)).toEqual([0, 25, 50, 100])
    expect(bars.map((bar) => bar.y)).toEqual([110, 85, 60, 10])
  })

  it('keeps a tiny cost visible (1 unit tall) and clamps values above the max', () => {
    const [tiny, huge] = barLayout([0.00001, 50], 4, frame)
    expect(tiny!.height).toBe(1)
    expect(huge!.height).toBe(100)
  })

  it('places ticks on the same scale', () => {
    expect(yOf(0, 4, frame)).toBe(110)
    expect(yOf(2, 4, frame)).toBe(60)
    expect(yOf(4, 4, frame)).toBe(10)
  })
})

describe('labelledDays', () => {
  it('labels every day when they fit, else every n-th counting back from today', () => {
    expect([...labelledDays(7, 7)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect([...labelledDays(30, 6)].sort((a, b) => a - b)).toEqual([4, 9, 14, 19, 24, 29])
  })
})

describe('usageRange', () => {
  it('gives the last n UTC days ending today, both ends inclusive', () => {
    expect(usageRange(new Date('2026-03-02T23:30:00Z'), 7)).toEqual({ from: '2026-02-24', to: '2026-03-02' })
    expect(usageRange(new Date('2026-03-02T00:00:00Z'), 30)).toEqual({ from: '2026-02-01', to: '2026-03-02' })
  })
})
