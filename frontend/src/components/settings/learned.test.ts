import { describe, expect, it } from 'vitest'
import type { Personalization } from '../../lib/api-driving.ts'
import { loadLocale, translate } from '../../lib/i18n.ts'
import { hasLearnedFormats, learnedStatements } from './learned.ts'

const neutral = { text: 0.5, quiz: 0.5, audio: 0.5, visual: 0.5 }

function personalization(changes: Partial<Personalization> = {}): Personalization {
  return {
    statements: [],
    format_weights: { driving: { ...neutral }, commuting: { ...neutral }, working: { ...neutral }, idle: { ...neutral } },
    pinned_formats: {},
    difficulty_preference: 'balanced',
    topics: [],
    liked_units_in_profile: 0,
    ...changes,
  }
}

describe('learnedStatements', () => {
  it('says nothing when nothing was learned', () => {
    expect(learnedStatements(personalization(), (key, params) => translate('en', key, params), 'en')).toEqual([])
    expect(hasLearnedFormats(personalization())).toBe(false)
  })

  it('turns the figures into plain sentences in the learner’s language', async () => {
    const data = personalization({
      format_weights: { driving: { text: 0.38, quiz: 0.45, audio: 0.72, visual: 0.5 }, commuting: { ...neutral }, working: { ...neutral }, idle: { ...neutral } },
      pinned_formats: { working: 'text' },
      difficulty_preference: 'harder',
      topics: [
        { topic_id: 'a', title: 'How sleep works', rating: 1320, level: 3, answers: 6, recent_accuracy: 0.667, engagement: 0.8 },
        { topic_id: 'b', title: 'Stoicism', rating: 1200, level: 2, answers: 0, recent_accuracy: null, engagement: 0.5 },
      ],
      liked_units_in_profile: 4,
      statements: [
        { kind: 'streak', text: 'Your streak: 3 days in a row with at least one correct recall.' },
        { kind: 'rule', code: 'difficulty_choice', text: 'You asked for harder units.' },
        { kind: 'format', text: 'When driving, your engagement is: audio 72%.' },
      ],
    })
    expect(learnedStatements(data, (key, params) => translate('en', key, params), 'en')).toEqual([
      // quiz at 0.45 is within 0.1 of neutral: not worth saying.
      'Driving: more audio (72%), less reading (38%).',
      'Working: always reading (you chose it).',
      'How sleep works: level 3 of 5, 67% right lately.',
      'You engage most with How sleep works.',
      'Units like the 4 you liked or finished rank higher.',
      'You asked for harder units.',
      'Your streak: 3 days in a row with at least one correct recall.',
    ])
    expect(hasLearnedFormats(data)).toBe(true)
    await loadLocale('ru')
    // Russian puts a (no-break) space before the percent sign.
    expect(learnedStatements(data, (key, params) => translate('ru', key, params), 'ru')[0]!.replace(/\s/g, ' ')).toBe('За рулём: больше аудио (72 %), меньше чтения (38 %).')
  })
})
