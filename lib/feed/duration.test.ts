import { describe, expect, it } from 'vitest'
import { countWords, estimateUnitMs, fillDuration, minimumReadingMs, quizMs } from './duration.ts'

describe('estimateUnitMs', () => {
  it('takes the audio clip length when the unit has audio', () => {
    expect(estimateUnitMs({ type: 'insight', body: { text: 'short' }, audioDurationMs: 41_250 })).toBe(41_250)
    expect(estimateUnitMs({ type: 'quiz', body: { kind: 'true_false', statement: 'x' }, audioDurationMs: 9_000 })).toBe(9_000)
  })

  it('reads at 200 words a minute: 100 words → 30 s, 50 words → 15 s', () => {
    const words = (count: number) => Array.from({ length: count }, () => 'word').join(' ')
    expect(estimateUnitMs({ type: 'story', body: { title: words(10), text: words(70), detail: words(20) } })).toBe(30_000)
    expect(estimateUnitMs({ type: 'insight', body: { text: words(50) } })).toBe(15_000)
    // A null or non-positive duration is no audio.
    expect(estimateUnitMs({ type: 'insight', body: { text: words(50) }, audioDurationMs: null })).toBe(15_000)
    expect(estimateUnitMs({ type: 'insight', body: { text: words(50) }, audioDurationMs: 0 })).toBe(15_000)
  })

  it('counts a scenario by its lines and never goes below a glance', () => {
    const scenario = { title: 'Two words', characters: [{ name: 'Maya' }, { name: 'Leo' }], lines: [{ speaker: 0, text: 'one two three' }, { speaker: 1, text: 'four five' }] }
    // 2 + 1 + 1 + 3 + 2 = 9 words → 2.7 s, raised to the minimum.
    expect(countWords(scenario)).toBe(9)
    expect(estimateUnitMs({ type: 'scenario', body: scenario })).toBe(minimumReadingMs)
  })

  it('gives a quiz without audio 20 s', () => {
    expect(estimateUnitMs({ type: 'quiz', body: { kind: 'mcq', question: 'A long question '.repeat(40), options: ['a', 'b'] } })).toBe(quizMs)
  })
})

describe('fillDuration', () => {
  it('stops at the first unit that reaches the wanted time', () => {
    const result = fillDuration([10, 20, 30, 40], (value) => value, 25)
    expect(result).toEqual({ items: [10, 20], durationMs: 30 })
  })

  it('returns everything when the stock is short, and nothing for nothing wanted', () => {
    expect(fillDuration([10, 20], (value) => value, 100)).toEqual({ items: [10, 20], durationMs: 30 })
    expect(fillDuration([10, 20], (value) => value, 0)).toEqual({ items: [], durationMs: 0 })
  })
})
