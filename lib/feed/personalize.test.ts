import { describe, expect, it } from 'vitest'
import { addOccurrence, centroidWindow, cosine, decayedValue, decayHalfLifeMs, explain, formatMultiplier, movingAverage, personalRules, resetPersonalization, similarityToLikes, updateCentroid, updateFormatWeight } from './personalize.ts'
import { emptyLearnerState } from './types.ts'

const now = new Date('2026-03-10T12:00:00Z')
const week = decayHalfLifeMs

describe('decaying counts', () => {
  it('halve every week', () => {
    expect(decayedValue({ value: 4, at: 0 }, week)).toBe(2)
    expect(decayedValue({ value: 4, at: 0 }, 2 * week)).toBe(1)
  })

  it('add one occurrence, or its decayed share when it arrives late', () => {
    expect(addOccurrence({ value: 1, at: 0 }, week)).toEqual({ value: 1.5, at: week })
    expect(addOccurrence({ value: 1, at: week }, 0)).toEqual({ value: 1.5, at: week })
  })
})

describe('personalRules', () => {
  it('is quiet for a new learner', () => {
    expect(personalRules(emptyLearnerState('l'), now)).toEqual({ preferShort: false, strugglingTopics: [], reteach: [], preferAudio: false, libraryBoost: 1 })
  })

  it('turns each signal into its rule', () => {
    const state = emptyLearnerState('l')
    state.recent.skipStreak = 3
    state.topics.hard = { rating: 950, answers: 4, results: [true, false, false, false], impressions: 8, engagement: 0.5 }
    state.topics.fine = { rating: 1050, answers: 4, results: [true, true, false, true], impressions: 8, engagement: 0.5 }
    state.topics.even = { rating: 1000, answers: 2, results: [true, false], impressions: 3, engagement: 0.5 }
    state.recent.reteach = [
      { conceptKey: 'anchoring', topicId: 'hard', missedAt: 1 },
      { conceptKey: 'framing', topicId: 'fine', missedAt: 2 },
    ]
    state.recent.audioCompletions = { value: 2, at: now.getTime() }
    state.recent.libraryLikes = { value: 4, at: now.getTime() - week }
    expect(personalRules(state, now)).toEqual({
      preferShort: true,
      strugglingTopics: ['hard'],
      reteach: [{ conceptKey: 'anchoring', topicId: 'hard', missedAt: 1 }],
      preferAudio: true,
      libraryBoost: 1.3,
    })
    // A week later the audio habit has halved below the threshold.
    expect(personalRules(state, new Date(now.getTime() + week)).preferAudio).toBe(false)
  })
})

describe('format weights', () => {
  it('move by an exponential moving average with rate 0.2, bounded in [0,1]', () => {
    expect(movingAverage(0.5, 1)).toBeCloseTo(0.6, 12)
    expect(movingAverage(0.5, 0)).toBeCloseTo(0.4, 12)
    // After three finished units: 1 − 0.5 · 0.8³ = 0.744
    expect(movingAverage(movingAverage(movingAverage(0.5, 1), 1), 1)).toBeCloseTo(0.744, 12)
    expect(movingAverage(0.9, 5)).toBeCloseTo(0.92, 12)
    let weight = 0.5
    for (let index = 0; index < 200; index += 1) weight = movingAverage(weight, index % 2)
    expect(weight).toBeGreaterThanOrEqual(0)
    expect(weight).toBeLessThanOrEqual(1)
  })

  it('are kept per context and turned into a 0.5–1.5 multiplier; a pin wins', () => {
    const state = emptyLearnerState('l')
    state.formatWeights = updateFormatWeight(state, 'commuting', 'audio', 1)
    expect(state.formatWeights.commuting.audio).toBeCloseTo(0.6, 12)
    expect(state.formatWeights.idle.audio).toBe(0.5)
    expect(formatMultiplier(state, 'commuting', 'audio')).toBeCloseTo(1.1, 12)
    expect(formatMultiplier(state, 'idle', 'text')).toBe(1)
    state.preferences.pinnedFormats = { idle: 'visual' }
    expect(formatMultiplier(state, 'idle', 'visual')).toBe(1.5)
  })
})

describe('centroid', () => {
  it('is the running mean of liked/completed embeddings', () => {
    let centroid = updateCentroid(null, [1, 0])
    expect(centroid).toEqual({ vector: [1, 0], count: 1 })
    centroid = updateCentroid(centroid, [0, 1])
    expect(centroid).toEqual({ vector: [0.5, 0.5], count: 2 })
    centroid = updateCentroid(centroid, [1, 1])
    expect(centroid.count).toBe(3)
    expect(centroid.vector[0]).toBeCloseTo(2 / 3, 12)
  })

  it('weighs each new embedding 1/50 once full, and restarts on another length', () => {
    const full = updateCentroid({ vector: [0, 0], count: centroidWindow }, [50, 0])
    expect(full).toEqual({ vector: [1, 0], count: centroidWindow })
    expect(updateCentroid(full, [1, 2, 3])).toEqual({ vector: [1, 2, 3], count: 1 })
  })

  it('scores candidates by cosine, floored at zero', () => {
    expect(cosine([1, 0], [0, 1])).toBe(0)
    expect(cosine([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12)
    expect(cosine([1, 0], [1, 0, 0])).toBe(0)
    expect(cosine([0, 0], [1, 0])).toBe(0)
    const state = emptyLearnerState('l')
    expect(similarityToLikes(state, { embedding: [1, 0] })).toBeNull()
    state.centroid = { vector: [1, 0], count: 4 }
    expect(similarityToLikes(state, { embedding: [-1, 0] })).toBe(0)
    expect(similarityToLikes(state, { embedding: [2, 0] })).toBe(1)
    expect(similarityToLikes(state, { embedding: null })).toBeNull()
    // The feed loader hands over cached Float32Arrays.
    expect(similarityToLikes(state, { embedding: new Float32Array([3, 4]) })).toBeCloseTo(0.6)
  })
})

describe('explain', () => {
  it('says nothing it did not learn', () => {
    expect(explain(emptyLearnerState('l'), { now })).toEqual([])
  })

  it('puts what it learned in plain words', () => {
    const state = emptyLearnerState('l')
    state.formatWeights.driving.audio = 0.82
    state.formatWeights.driving.quiz = 0.3
    state.preferences.pinnedFormats = { working: 'text' }
    state.topics.negotiation = { rating: 1160, answers: 12, results: [true, true, true, false, true], impressions: 30, engagement: 0.8 }
    state.topics.sleep = { rating: 880, answers: 4, results: [false, false, true, false], impressions: 9, engagement: 0.4 }
    state.centroid = { vector: [1, 0], count: 7 }
    state.recent.skipStreak = 4
    state.recent.audioCompletions = { value: 3, at: now.getTime() }
    state.streak = { current: 5, best: 9, lastDay: '2026-03-10' }
    const texts = explain(state, { now, topicTitles: { negotiation: 'Negotiation', sleep: 'How sleep works' } }).map((statement) => statement.text)
    expect(texts).toEqual([
      'When driving, your engagement is: audio 82%, quizzes 30%.',
      'When at work, you pinned reading.',
      'Negotiation: level 4 of 5 (rating 1160), 4 of your last 5 answers right.',
      'How sleep works: level 2 of 5 (rating 880), 1 of your last 4 answers right.',
      'You engage most with Negotiation.',
      'Units similar to the 7 you liked or finished rank higher.',
      'You skipped 4 in a row, so units are shorter for now.',
      'How sleep works has been tricky lately, so units there are easier and missed ideas are explained again.',
      'You finish audio, so you get more of it.',
      'Your streak: 5 days in a row with at least one correct recall.',
    ])
  })
})

describe('resetPersonalization', () => {
  it('forgets tastes and habits, keeps knowledge and choices', () => {
    const state = emptyLearnerState('l', { difficulty: 'harder', pinnedFormats: { idle: 'audio' } })
    state.formatWeights.idle.audio = 0.9
    state.centroid = { vector: [1], count: 3 }
    state.topics.t = { rating: 1200, answers: 9, results: [true], impressions: 20, engagement: 0.9 }
    state.recent.skipStreak = 4
    state.recent.libraryLikes = { value: 5, at: 1 }
    state.streak = { current: 3, best: 3, lastDay: '2026-03-10' }
    const reset = resetPersonalization(state)
    expect(reset.formatWeights.idle.audio).toBe(0.5)
    expect(reset.centroid).toBeNull()
    expect(reset.topics.t).toEqual({ rating: 1200, answers: 9, results: [true], impressions: 20, engagement: 0.5 })
    expect(reset.recent.skipStreak).toBe(0)
    expect(reset.recent.libraryLikes.value).toBe(0)
    expect(reset.streak).toEqual(state.streak)
    expect(reset.preferences).toEqual(state.preferences)
    expect(explain(reset, { now }).map((statement) => statement.kind)).toEqual(['format', 'difficulty', 'rule', 'streak'])
    // The choice is also a figure (difficulty_preference): marked, so a client can word it itself.
    expect(explain(reset, { now }).filter((statement) => statement.kind === 'rule')).toEqual([{ kind: 'rule', code: 'difficulty_choice', text: 'You asked for harder units.' }])
  })
})
