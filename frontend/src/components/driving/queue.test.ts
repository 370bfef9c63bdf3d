import { describe, expect, it } from 'vitest'
import type { FeedUnit } from '../../lib/types.ts'
import { clock, leftEarly, mergeQueue, nextSpeed, passedMarks, remainingMs, unitTitle, type PlayableUnit } from './queue.ts'

function unit(id: string, durationMs: number | null = 60_000, body: Record<string, unknown> = { text: `Unit ${id}.` }): FeedUnit {
  return {
    id,
    type: 'insight',
    body,
    format: 'audio',
    topic: { id: 't', title: 'Topic' },
    difficulty: 2,
    reason: { code: 'x', text: '' },
    audio: { url: `/api/v1/objects/audio/${id}.mp3?signature=s`, duration_ms: durationMs, transcript: null },
  } as unknown as FeedUnit
}
const playable = (...units: FeedUnit[]) => units as PlayableUnit[]

describe('mergeQueue', () => {
  it('appends new playable units in order and drops repeats and units without audio', () => {
    const queue = playable(unit('a'), unit('b'))
    const silent = { ...unit('c'), audio: null } as FeedUnit
    expect(mergeQueue(queue, [unit('b'), silent, unit('d'), unit('d'), unit('e')]).map((entry) => entry.id)).toEqual(['a', 'b', 'd', 'e'])
  })

  it('gives back the same queue when nothing joins, so nothing watching it runs again', () => {
    const queue = playable(unit('a'))
    expect(mergeQueue(queue, [unit('a'), { ...unit('c'), audio: null } as FeedUnit])).toBe(queue)
  })
})

describe('remainingMs', () => {
  it('adds what is left of the current unit to the units after it', () => {
    const queue = playable(unit('a', 60_000), unit('b', 90_000), unit('c', 30_000))
    // 60 s − 45 s of the first, then 90 s + 30 s.
    expect(remainingMs(queue, 0, 45_000, null)).toBe(135_000)
    // The element's own duration wins over the server's estimate; unknown durations count as 0.
    expect(remainingMs(playable(unit('a', 60_000), unit('b', null)), 0, 10_000, 70_000)).toBe(60_000)
    expect(remainingMs(queue, 3, 0, null)).toBe(0)
  })
})

describe('passedMarks and leftEarly', () => {
  it('reports each quartile once, however far a seek jumps', () => {
    expect(passedMarks(0.1, new Set())).toEqual([])
    expect(passedMarks(0.8, new Set([0.25]))).toEqual([0.5, 0.75])
    expect(passedMarks(1, new Set([0.25, 0.5, 0.75]))).toEqual([])
  })

  it('calls leaving before 95% by choice a skip, never an ending', () => {
    expect(leftEarly(0.5, 'next')).toBe(true)
    expect(leftEarly(0.2, 'previous')).toBe(true)
    expect(leftEarly(0.96, 'next')).toBe(false)
    expect(leftEarly(0.3, 'ended')).toBe(false)
  })
})

describe('unitTitle', () => {
  it('uses a title, a statement, or the opening sentence, shortened on a word', () => {
    expect(unitTitle(unit('a', 1, { title: 'Why we dream', text: 'Long text.' }))).toBe('Why we dream')
    expect(unitTitle({ ...unit('b'), type: 'quiz', body: { kind: 'true_false', statement: 'Adults need about 8 hours.' } } as FeedUnit)).toBe('Adults need about 8 hours.')
    const long = 'Deep sleep clears the brain of waste products that build up during the day. It also helps memories settle into long-term storage.'
    expect(unitTitle(unit('c', 1, { text: long }))).toBe('Deep sleep clears the brain of waste products that build up during the day.')
    const title = unitTitle(unit('d', 1, { text: 'word '.repeat(40) }))
    expect(title.endsWith('word…')).toBe(true)
    expect(title.length).toBeLessThanOrEqual(91)
  })
})

describe('speed and clock', () => {
  it('steps through the speeds and wraps around', () => {
    expect([nextSpeed(1), nextSpeed(1.25), nextSpeed(1.5), nextSpeed(0.75), nextSpeed(3)]).toEqual([1.25, 1.5, 0.75, 1, 1])
  })

  it('formats m:ss', () => {
    expect([clock(0), clock(9_400), clock(61_000), clock(-5), clock(600_000)]).toEqual(['0:00', '0:09', '1:01', '0:00', '10:00'])
  })
})
