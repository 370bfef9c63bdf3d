import { ratingToDifficulty } from './difficulty.ts'
import { currentStreak } from './habit.ts'
import { contextModes, emptyLearnerState, formats, topicAccuracy } from './types.ts'
import type { Candidate, Centroid, ContextMode, DecayingCount, Format, LearnerState, Reteach } from './types.ts'

/**
 * Personalization in layers (issue 6, point 5), each small enough to explain to the learner:
 * (1) rules on recent behaviour, (2) learned weights per format and context, (3) similarity to
 * what the learner liked or finished. The mix (4) lives in rank.ts.
 */

// ---------------------------------------------------------------- (1) rules

export const ruleThresholds = {
  /** Skips in a row before units get shorter. */
  skipStreak: 3,
  /** A topic below this accuracy gets easier units and re-teaching. */
  accuracy: 0.5,
  /** Answers needed before accuracy counts. */
  minimumAnswers: 2,
  /** Recently finished audio units (decayed) before audio is preferred. */
  audioCompletions: 2,
  /** Recent likes on own-library units (decayed) before library units are boosted. */
  libraryLikes: 2,
} as const

/** Recent counts halve every week: last month's habits should not steer today's feed. */
export const decayHalfLifeMs = 7 * 86_400_000

/** The count as of `at`: value · 2^(−Δt / half-life). */
export function decayedValue(count: DecayingCount, at: number): number {
  return count.value * 2 ** (-Math.abs(at - count.at) / decayHalfLifeMs)
}

/** Adds one occurrence at `at`; an occurrence older than the count's time adds its decayed share. */
export function addOccurrence(count: DecayingCount, at: number): DecayingCount {
  if (at >= count.at) return { value: decayedValue(count, at) + 1, at }
  return { value: count.value + 2 ** (-(count.at - at) / decayHalfLifeMs), at: count.at }
}

export interface Adjustments {
  /** Skip streak ≥ 3: shorter units. */
  preferShort: boolean
  /** Topics where accuracy < 50 %: easier units. */
  strugglingTopics: string[]
  /** Missed concepts in struggling topics, oldest first: a teaching unit on each comes next. */
  reteach: Reteach[]
  /** The learner finishes audio: serve units that have audio as audio, and weigh audio up. */
  preferAudio: boolean
  /** Multiplier for own-library units (1, or 1.3 once the learner likes them). */
  libraryBoost: number
}

export function personalRules(state: LearnerState, now: Date): Adjustments {
  const strugglingTopics = Object.entries(state.topics)
    .filter(([, topic]) => {
      const accuracy = topicAccuracy(topic, ruleThresholds.minimumAnswers)
      return accuracy !== null && accuracy < ruleThresholds.accuracy
    })
    .map(([topicId]) => topicId)
    .sort()
  const at = now.getTime()
  return {
    preferShort: state.recent.skipStreak >= ruleThresholds.skipStreak,
    strugglingTopics,
    reteach: state.recent.reteach.filter((item) => strugglingTopics.includes(item.topicId)),
    preferAudio: decayedValue(state.recent.audioCompletions, at) >= ruleThresholds.audioCompletions,
    libraryBoost: decayedValue(state.recent.libraryLikes, at) >= ruleThresholds.libraryLikes ? 1.3 : 1,
  }
}

/** Seconds a unit should last at most, comfortably, after a run of skips. */
export const shortTargetSeconds = 15

// ---------------------------------------------------------------- (2) learned format weights

/** Weight of one new observation in the moving average (about the last ten count). */
export const learningRate = 0.2

/**
 * Exponential moving average of engagement e ∈ [0,1]: w′ = w + α · (e − w), α = 0.2.
 * A convex combination, so w stays in [0,1]; after n identical observations w is
 * e + (w₀ − e) · 0.8ⁿ.
 */
export function movingAverage(weight: number, engagement: number, rate = learningRate): number {
  const bounded = Math.min(1, Math.max(0, engagement))
  return weight + rate * (bounded - weight)
}

export function updateFormatWeight(state: LearnerState, mode: ContextMode, format: Format, engagement: number): LearnerState['formatWeights'] {
  return {
    ...state.formatWeights,
    [mode]: { ...state.formatWeights[mode], [format]: movingAverage(state.formatWeights[mode][format], engagement) },
  }
}

/**
 * A format's multiplier in a context: 0.5 + w, so a neutral 0.5 leaves the score alone, a format
 * always finished gets ×1.5 and one always skipped ×0.5. A pinned format counts as w = 1.
 */
export function formatMultiplier(state: LearnerState, mode: ContextMode, format: Format): number {
  const pinned = state.preferences.pinnedFormats[mode]
  if (pinned === format) return 1.5
  return 0.5 + state.formatWeights[mode][format]
}

// ---------------------------------------------------------------- (3) centroid of liked/completed

/**
 * Liked and finished units are averaged incrementally: c′ = c + (x − c) / n′ with n′ = min(n + 1, 50).
 * Below 50 this is the exact mean; after, each new embedding weighs 1/50, so old interests fade.
 * An embedding of another length (another model) starts a new centroid.
 */
export const centroidWindow = 50

export function updateCentroid(centroid: Centroid | null, embedding: ArrayLike<number>): Centroid {
  if (!centroid || centroid.vector.length !== embedding.length) return { vector: Array.from(embedding), count: 1 }
  const count = Math.min(centroid.count + 1, centroidWindow)
  return { vector: centroid.vector.map((value, index) => value + (embedding[index] - value) / count), count }
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0
  let dot = 0
  let normA = 0
  let normB = 0
  for (let index = 0; index < a.length; index += 1) {
    dot += a[index] * b[index]
    normA += a[index] * a[index]
    normB += b[index] * b[index]
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB)
}

/** Cosine to the centroid, floored at 0; null when either side has no vector. */
export function similarityToLikes(state: LearnerState, candidate: Pick<Candidate, 'embedding'>): number | null {
  if (!state.centroid) return null
  if (!candidate.embedding) return null
  return Math.max(0, cosine(state.centroid.vector, candidate.embedding))
}

// ---------------------------------------------------------------- reset

/**
 * Forgets what was learned about the learner's tastes (format weights, interests, recent habits)
 * when they ask to reset it. What they know — ratings, review cards, streak — and what they chose
 * (preferences, pins) stays.
 */
export function resetPersonalization(state: LearnerState): LearnerState {
  const fresh = emptyLearnerState(state.learnerId, state.preferences)
  const topics = Object.fromEntries(Object.entries(state.topics).map(([topicId, topic]) => [topicId, { ...topic, engagement: 0.5 }]))
  return {
    ...state,
    topics,
    formatWeights: fresh.formatWeights,
    centroid: null,
    recent: { ...state.recent, skipStreak: 0, audioCompletions: fresh.recent.audioCompletions, libraryLikes: fresh.recent.libraryLikes },
  }
}

// ---------------------------------------------------------------- explain

export interface Statement {
  kind: 'format' | 'difficulty' | 'interest' | 'rule' | 'streak'
  /**
   * Set on a statement that only repeats a choice the response also gives as a figure, so a client
   * that words the figure itself can leave the sentence out: `difficulty_choice` repeats
   * `difficulty_preference`.
   */
  code?: 'difficulty_choice'
  text: string
}

const formatNames: Record<Format, string> = { text: 'reading', quiz: 'quizzes', audio: 'audio', visual: 'comic strips' }
const modeNames: Record<ContextMode, string> = { driving: 'driving', commuting: 'commuting', working: 'at work', idle: 'with time to spare' }
const percent = (value: number) => `${Math.round(value * 100)}%`

/**
 * What the system learned, in plain language, for `GET /api/v1/me/personalization`. Only what
 * differs from knowing nothing is said; titles name topics when given.
 */
export function explain(state: LearnerState, options: { now: Date; topicTitles?: Record<string, string> }): Statement[] {
  const title = (topicId: string) => options.topicTitles?.[topicId] ?? topicId
  const statements: Statement[] = []

  for (const mode of contextModes) {
    const pinned = state.preferences.pinnedFormats[mode]
    if (pinned) statements.push({ kind: 'format', text: `When ${modeNames[mode]}, you pinned ${formatNames[pinned]}.` })
    const learned = formats.filter((format) => Math.abs(state.formatWeights[mode][format] - 0.5) >= 0.1)
    if (learned.length === 0) continue
    const sorted = [...learned].sort((a, b) => state.formatWeights[mode][b] - state.formatWeights[mode][a])
    const parts = sorted.map((format) => `${formatNames[format]} ${percent(state.formatWeights[mode][format])}`)
    statements.push({ kind: 'format', text: `When ${modeNames[mode]}, your engagement is: ${parts.join(', ')}.` })
  }

  for (const [topicId, topic] of Object.entries(state.topics).sort(([a], [b]) => a.localeCompare(b))) {
    if (topic.answers === 0) continue
    const right = topic.results.filter(Boolean).length
    statements.push({
      kind: 'difficulty',
      text: `${title(topicId)}: level ${ratingToDifficulty(topic.rating)} of 5 (rating ${Math.round(topic.rating)}), ${right} of your last ${topic.results.length} answers right.`,
    })
  }

  const engaged = Object.entries(state.topics)
    .filter(([, topic]) => topic.engagement >= 0.6)
    .sort(([, a], [, b]) => b.engagement - a.engagement)
    .slice(0, 3)
  if (engaged.length > 0) statements.push({ kind: 'interest', text: `You engage most with ${engaged.map(([topicId]) => title(topicId)).join(', ')}.` })
  if (state.centroid) statements.push({ kind: 'interest', text: `Units similar to the ${state.centroid.count} you liked or finished rank higher.` })

  const rules = personalRules(state, options.now)
  if (rules.preferShort) statements.push({ kind: 'rule', text: `You skipped ${state.recent.skipStreak} in a row, so units are shorter for now.` })
  for (const topicId of rules.strugglingTopics) {
    statements.push({ kind: 'rule', text: `${title(topicId)} has been tricky lately, so units there are easier and missed ideas are explained again.` })
  }
  if (rules.preferAudio) statements.push({ kind: 'rule', text: 'You finish audio, so you get more of it.' })
  if (rules.libraryBoost > 1) statements.push({ kind: 'rule', text: 'You like units from your own library, so you see more of them.' })
  if (state.preferences.difficulty !== 'balanced') statements.push({ kind: 'rule', code: 'difficulty_choice', text: `You asked for ${state.preferences.difficulty} units.` })

  const streak = currentStreak(state.streak, options.now, state.preferences.timeZone)
  if (streak > 0) {
    const days = streak === 1 ? '1 day' : `${streak} days`
    statements.push({ kind: 'streak', text: `Your streak: ${days} in a row with at least one correct recall.` })
  }
  return statements
}
