import { describe, expect, it } from 'vitest'
import { allTopicsSeries, dailySeries, linePath, overallAccuracy, plot, type Frame } from './chart.ts'

const frame: Frame = { width: 110, height: 60, top: 5, right: 5, bottom: 5, left: 5 }

describe('the days of a chart', () => {
  it('adds up topics per day and leaves days without answers empty, not zero', () => {
    const days = ['2025-05-01', '2025-05-02', '2025-05-03']
    const series = allTopicsSeries(
      [
        { accuracy: [{ date: '2025-05-01', answered: 2, correct: 1, accuracy: 0.5 }] },
        { accuracy: [{ date: '2025-05-01', answered: 2, correct: 2, accuracy: 1 }, { date: '2025-05-03', answered: 5, correct: 4, accuracy: 0.8 }, { date: '2025-04-01', answered: 9, correct: 0, accuracy: 0 }] },
      ] as never,
      days,
    )
    expect(series).toEqual([
      { date: '2025-05-01', answered: 4, correct: 3, accuracy: 0.75 },
      { date: '2025-05-02', answered: 0, correct: 0, accuracy: null },
      { date: '2025-05-03', answered: 5, correct: 4, accuracy: 0.8 },
    ])
    // 7 right of 9 answers, not the mean of 75 % and 80 %.
    expect(overallAccuracy(series)).toEqual({ answered: 9, correct: 7, percent: 78 })
    expect(overallAccuracy(dailySeries([], days))).toEqual({ answered: 0, correct: 0, percent: null })
  })
})

describe('scaling to the frame', () => {
  const series = dailySeries(
    [
      { date: '2025-05-01', answered: 1, correct: 1, accuracy: 1 },
      { date: '2025-05-02', answered: 2, correct: 1, accuracy: 0.5 },
      { date: '2025-05-04', answered: 4, correct: 0, accuracy: 0 },
      { date: '2025-05-05', answered: 4, correct: 1, accuracy: 0.25 },
    ],
    ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05', '2025-05-06'],
  )

  it('puts 100 % at the top and 0 % at the bottom, days evenly across', () => {
    // inner 100 × 50; 6 days → a step of 20.
    expect(plot(series, frame).map(({ x, y }) => [x, y])).toEqual([
      [5, 5],
      [25, 30],
      [65, 55],
      [85, 42.5],
    ])
  })

  it('breaks the line over a day without answers', () => {
    expect(linePath(plot(series, frame))).toBe('M5 5L25 30M65 55L85 42.5')
  })

  it('centres a single day', () => {
    expect(plot(dailySeries([{ date: '2025-05-01', answered: 1, correct: 1, accuracy: 1 }], ['2025-05-01']), frame)).toMatchObject([{ x: 55, y: 5 }])
  })
})
