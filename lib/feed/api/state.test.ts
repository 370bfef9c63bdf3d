import { describe, expect, it } from 'vitest'
import type { CandidateRow } from '../../db/feed.ts'
import { newConceptCard, reviewConcept } from '../review.ts'
import { cardKey, emptyLearnerState } from '../types.ts'
import { candidateFromRow, cardFromRow, emptyStoredState, learnerStateFrom, preferencesFromRow, rowFromCard, rowFromPreferences, storedState } from './state.ts'

const now = new Date('2026-03-02T09:00:00Z')

describe('learner state rows', () => {
  it('builds an empty learner with the account time zone when nothing is stored', () => {
    const state = learnerStateFrom('u1', { state: null, preferences: null, timezone: 'Asia/Tokyo' }, [])
    expect(state).toEqual(emptyLearnerState('u1', { timeZone: 'Asia/Tokyo' }))
  })

  it('stores everything but cards and preferences, and reads it back, filling fields it lacks', () => {
    const state = emptyLearnerState('u1')
    state.recent.skipStreak = 2
    state.topics.t = { rating: 1100, answers: 3, results: [true], impressions: 4, engagement: 0.7 }
    const stored = storedState(state)
    expect(Object.keys(stored).sort()).toEqual(['centroid', 'formatWeights', 'recent', 'streak', 'topics'])
    const { breakOfferedAt: _dropped, ...olderRecent } = stored.recent
    const back = learnerStateFrom('u1', { state: JSON.parse(JSON.stringify({ ...stored, recent: olderRecent })), preferences: null, timezone: 'UTC' }, [])
    expect(back).toEqual(state)
    expect(emptyStoredState('u1')).toEqual(storedState(emptyLearnerState('u1')))
  })

  it('maps cards both ways and keys them by topic and concept', () => {
    const card = reviewConcept(newConceptCard('batna', 't1', now), 'Good', now, { unitId: 'q1', kind: 'mcq' })
    expect(cardFromRow(rowFromCard(card))).toEqual(card)
    const state = learnerStateFrom('u1', { state: null, preferences: null, timezone: 'UTC' }, [rowFromCard(card)])
    expect(state.cards[cardKey('t1', 'batna')]).toEqual(card)
  })

  it('maps preferences both ways', () => {
    const preferences = { ...emptyLearnerState('u').preferences, contextMode: 'driving' as const, formats: ['audio' as const], pinnedFormats: { idle: 'visual' as const }, timeZone: 'Europe/Paris' }
    expect(preferencesFromRow(rowFromPreferences(preferences, 'alloy'), 'Europe/Paris')).toEqual(preferences)
  })
})

describe('candidateFromRow', () => {
  it('turns the query’s JSON into a candidate with smoothed stats', () => {
    const row: CandidateRow = {
      id: 'u1', topic_id: 't1', topic_title: 'Negotiation', type: 'quiz', quiz_kind: 'mcq', format: 'quiz', est_seconds: 12, char_length: 140,
      difficulty: 2, rating: 851.5, concept_keys: ['batna'], is_library: false, source_title: null, has_audio: false,
      impressions: 0, likes: 0, dislikes: 0, created_at: '2026-03-01T00:00:00+00:00', updated_at: '2026-03-01T00:00:00+00:00', last_seen_at: null,
    }
    const embedding = new Float32Array([0.6, 0.8])
    expect(candidateFromRow(row, embedding)).toEqual({
      unitId: 'u1', topicId: 't1', topicTitle: 'Negotiation', type: 'quiz', quizKind: 'mcq', format: 'quiz', estimatedSeconds: 12, charLength: 140,
      difficulty: 2, itemRating: 851.5, embedding, conceptKeys: ['batna'], isLibrary: false, sourceTitle: undefined,
      hasAudio: false, stats: { likeRate: 0.03, powerScore: 0.2 }, createdAt: Date.parse('2026-03-01T00:00:00Z'), lastSeenAt: null,
    })
  })
})
