import type { QuizKind, UnitType } from '../../content/unit-schema.ts'
import type { CandidateRow, CardRow, LearnerRow, PreferencesRow, UnitFactsRow } from '../../db/feed.ts'
import { candidateStats } from '../rank.ts'
import { cardKey, defaultPreferences, emptyLearnerState } from '../types.ts'
import type { Candidate, ConceptCard, ContextMode, DifficultyPreference, Format, LearnerState, Preferences, UnitFacts } from '../types.ts'

/**
 * Rows ↔ the pure types. The stored state is the LearnerState minus its cards and preferences
 * (their own tables); fields added to the state later are filled from an empty state, so an old
 * row never breaks a new version.
 */

type StoredState = Omit<LearnerState, 'learnerId' | 'cards' | 'preferences'>

export function storedState(state: LearnerState): StoredState {
  const { topics, formatWeights, centroid, recent, streak } = state
  return { topics, formatWeights, centroid, recent, streak }
}

export function emptyStoredState(userId: string): StoredState {
  return storedState(emptyLearnerState(userId))
}

export function learnerStateFrom(userId: string, row: LearnerRow, cards: readonly CardRow[]): LearnerState {
  const preferences = preferencesFromRow(row.preferences, row.timezone)
  const base = emptyLearnerState(userId, preferences)
  const stored = (row.state ?? {}) as Partial<StoredState>
  return {
    ...base,
    topics: stored.topics ?? base.topics,
    formatWeights: { ...base.formatWeights, ...stored.formatWeights },
    centroid: stored.centroid ?? null,
    recent: { ...base.recent, ...stored.recent },
    streak: stored.streak ?? base.streak,
    cards: Object.fromEntries(cards.map(cardFromRow).map((card) => [cardKey(card.topicId, card.conceptKey), card])),
  }
}

export function cardFromRow(row: CardRow): ConceptCard {
  return {
    conceptKey: row.concept_key,
    topicId: row.topic_id,
    due: row.due.getTime(),
    stability: Number(row.stability),
    difficulty: Number(row.difficulty),
    scheduledDays: row.scheduled_days,
    learningSteps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    lastReview: row.last_review === null ? null : row.last_review.getTime(),
    lastQuizUnitId: row.last_quiz_unit_id,
    lastQuizKind: row.last_quiz_kind as QuizKind | null,
  }
}

export function rowFromCard(card: ConceptCard): CardRow {
  return {
    topic_id: card.topicId,
    concept_key: card.conceptKey,
    state: card.state,
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    last_review: card.lastReview === null ? null : new Date(card.lastReview),
    last_quiz_unit_id: card.lastQuizUnitId,
    last_quiz_kind: card.lastQuizKind,
  }
}

export function preferencesFromRow(row: PreferencesRow | null, timeZone: string): Preferences {
  if (!row) return { ...defaultPreferences, timeZone }
  return {
    contextMode: row.context_mode as ContextMode,
    difficulty: row.difficulty as DifficultyPreference,
    formats: row.formats as Format[],
    breakMinutes: row.break_minutes,
    dailyGoal: row.daily_goal,
    timeZone,
    pinnedFormats: row.pinned_formats as Preferences['pinnedFormats'],
  }
}

export function rowFromPreferences(preferences: Preferences, voice: string | null): PreferencesRow {
  return {
    context_mode: preferences.contextMode,
    difficulty: preferences.difficulty,
    formats: preferences.formats,
    pinned_formats: preferences.pinnedFormats as Record<string, string>,
    voice,
    daily_goal: preferences.dailyGoal,
    break_minutes: preferences.breakMinutes,
  }
}

export function candidateFromRow(row: CandidateRow, embedding: ArrayLike<number> | null = null): Candidate {
  return {
    unitId: row.id,
    topicId: row.topic_id,
    topicTitle: row.topic_title,
    type: row.type as UnitType,
    quizKind: row.quiz_kind as QuizKind | null,
    format: row.format as Format,
    estimatedSeconds: row.est_seconds,
    charLength: row.char_length,
    difficulty: row.difficulty,
    itemRating: Number(row.rating),
    embedding,
    conceptKeys: row.concept_keys,
    isLibrary: row.is_library,
    sourceTitle: row.source_title ?? undefined,
    hasAudio: row.has_audio,
    stats: candidateStats({ impressions: Number(row.impressions), likes: Number(row.likes), dislikes: Number(row.dislikes) }),
    createdAt: Date.parse(row.created_at),
    lastSeenAt: row.last_seen_at === null ? null : Date.parse(row.last_seen_at),
  }
}

export function unitFactsFromRow(row: UnitFactsRow): UnitFacts {
  return {
    unitId: row.id,
    topicId: row.topic_id,
    type: row.type as UnitType,
    quizKind: row.quiz_kind as QuizKind | null,
    format: row.format as Format,
    estimatedSeconds: row.est_seconds,
    difficulty: row.difficulty,
    itemRating: Number(row.rating),
    embedding: row.embedding,
    conceptKeys: row.concept_keys,
    isLibrary: row.is_library,
  }
}
