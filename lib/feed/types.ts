import type { QuizKind, UnitType } from '../content/unit-schema.ts'

/**
 * The feed's vocabulary. Everything here is plain JSON (times are epoch milliseconds) so that a
 * learner's state can be stored as rows and jsonb and handed to the pure functions in lib/feed,
 * which take (state, now, seed) and never touch the database, the clock or Math.random.
 */

export const contextModes = ['driving', 'commuting', 'working', 'idle'] as const
export type ContextMode = (typeof contextModes)[number]

/** How a unit is experienced. sql/0004_content.sql derives a unit's own format from its type. */
export const formats = ['text', 'quiz', 'audio', 'visual'] as const
export type Format = (typeof formats)[number]

export interface CandidateStats {
  /** Share of impressions that ended in a like, smoothed towards a prior (see `candidateStats`). */
  likeRate: number
  /** 0–1: how strongly learners responded; the "powerful" variable reward picks from the top. */
  powerScore: number
}

/** A unit the feed may serve, with what ranking needs and nothing the client renders. */
export interface Candidate {
  unitId: string
  topicId: string
  topicTitle?: string
  type: UnitType
  /** Present exactly when `type` is 'quiz'. */
  quizKind: QuizKind | null
  /** The unit's own format (quiz → quiz, scenario → audio, storyboard → visual, else text). */
  format: Format
  estimatedSeconds: number
  /** Characters of on-screen text (the working mode serves ≤ 200). */
  charLength: number
  /** 1–5 as written by the content engine. */
  difficulty: number
  /** Elo item rating (`difficultyToRating` initialises it). */
  itemRating: number
  /** Unit vector or not; cosine is taken anyway. Null when the unit has none yet (or the learner has no centroid to compare it with). */
  embedding: ArrayLike<number> | null
  conceptKeys: readonly string[]
  /** From the learner's own uploads ("Your library"). */
  isLibrary: boolean
  sourceTitle?: string
  /** Synthesized audio exists, so the unit can be played hands-free. */
  hasAudio: boolean
  stats: CandidateStats
  createdAt: number
  /** When this learner last saw the unit; null when never. Seen units only come back as reviews. */
  lastSeenAt: number | null
}

/** The facts about a unit that folding events and answers needs. */
export type UnitFacts = Pick<Candidate, 'unitId' | 'topicId' | 'type' | 'quizKind' | 'format' | 'estimatedSeconds' | 'difficulty' | 'itemRating' | 'embedding' | 'conceptKeys' | 'isLibrary'>

export type CardState = 'New' | 'Learning' | 'Review' | 'Relearning'

/** An FSRS memory card for one concept (ts-fsrs fields, JSON-friendly). */
export interface ConceptCard {
  conceptKey: string
  topicId: string
  due: number
  stability: number
  difficulty: number
  scheduledDays: number
  learningSteps: number
  reps: number
  lapses: number
  state: CardState
  lastReview: number | null
  /** The quiz last used to recall it, so the next review can pick a different one. */
  lastQuizUnitId: string | null
  lastQuizKind: QuizKind | null
}

/** What the learner knows and does in one topic. */
export interface TopicState {
  /** Elo rating of the learner in this topic (starts at 1000, the rating of a difficulty-3 item). */
  rating: number
  /** Scored answers so far; the K-factor shrinks with it. */
  answers: number
  /** The last answers, oldest first, at most `limitsOfState.topicResults`. */
  results: boolean[]
  /** Impressions in this topic; 0 means the topic is new to the learner. */
  impressions: number
  /** Engagement in [0,1], a moving average like the format weights (0.5 knows nothing). */
  engagement: number
}

/** A slowly forgetting count: `value` as of `at`, halving every `decayHalfLifeMs`. */
export interface DecayingCount {
  value: number
  at: number
}

export type ServedKind = 'unit' | 'quiz' | 'review'

/** One unit the learner saw, for the mix rules (no three of a type, quiz spacing, reviews ≤ 1 in 4). */
export interface ServedEntry {
  unitId: string
  topicId: string
  type: UnitType
  kind: ServedKind
  isLibrary: boolean
  difficulty: number
  conceptKeys: readonly string[]
  at: number
}

/** A concept the learner got wrong; a teaching unit on it comes next while the topic is shaky. */
export interface Reteach {
  conceptKey: string
  topicId: string
  missedAt: number
}

export interface RecentActivity {
  /** Skips in a row, reset by any real engagement. */
  skipStreak: number
  /** Audio units finished (audio_progress ≥ 0.95), decaying with a one-week half-life. */
  audioCompletions: DecayingCount
  /** Likes on own-library units, decaying the same way. */
  libraryLikes: DecayingCount
  /** The last units seen, oldest first (impressions), at most `limitsOfState.served`. */
  served: ServedEntry[]
  reteach: Reteach[]
  /** Time to answer recent quizzes, for the learner's median (a "slow" answer is graded Hard). */
  answerTimesMs: number[]
  sessionStartedAt: number | null
  lastActivityAt: number | null
  /** Newest event folded in; order-sensitive counters only move for events after it. */
  lastEventAt: number | null
  breakOfferedAt: number | null
  /** Client ids of recently folded events: a retried batch changes nothing. */
  eventIds: string[]
}

export interface Centroid {
  vector: number[]
  /** Embeddings averaged so far, capped (see personalize.ts) so that old interests fade. */
  count: number
}

export const difficultyPreferences = ['easier', 'balanced', 'harder'] as const
export type DifficultyPreference = (typeof difficultyPreferences)[number]

export interface Preferences {
  contextMode: ContextMode
  difficulty: DifficultyPreference
  /** Formats the learner wants; empty means all. */
  formats: Format[]
  breakMinutes: number
  dailyGoal: number
  /** IANA time zone: streak days and late-night sessions are the learner's local ones. */
  timeZone: string
  /** Pinned formats per context override the learned weights (the learner said so). */
  pinnedFormats: Partial<Record<ContextMode, Format>>
}

export interface Streak {
  /** Consecutive local days with a correct recall, ending on `lastDay`. */
  current: number
  best: number
  /** YYYY-MM-DD in the learner's time zone, or null before the first correct recall. */
  lastDay: string | null
}

export interface LearnerState {
  learnerId: string
  topics: Record<string, TopicState>
  /** Keyed by `cardKey(topicId, conceptKey)`: topics may share a concept key ("anchoring"). */
  cards: Record<string, ConceptCard>
  /** Engagement in [0,1] per context and format, an exponential moving average (personalize.ts). */
  formatWeights: Record<ContextMode, Record<Format, number>>
  centroid: Centroid | null
  recent: RecentActivity
  streak: Streak
  preferences: Preferences
}

export interface Context {
  mode: ContextMode
  /** 0–23 in the learner's time zone. */
  localHour: number
}

export interface Reason {
  code: ReasonCode
  text: string
}

export type ReasonCode =
  | 'review_due'
  | 'reteach'
  | 'take_a_break'
  | 'powerful'
  | 'library'
  | 'new_topic'
  | 'easier'
  | 'step_up'
  | 'similar'
  | 'quiz_check'
  | 'mode_fit'
  | 'next'
  // Outside the ranked feed: the saved list, and units already seen in an offline pack.
  | 'saved'
  | 'refresher'

export interface UnitItem {
  kind: 'unit'
  unitId: string
  topicId: string
  type: UnitType
  quizKind: QuizKind | null
  /** How to present it now: an insight with audio is served as audio while driving. */
  format: Format
  role: ServedKind
  autoplay: boolean
  reason: Reason
}

export interface BreakItem {
  kind: 'break'
  reason: Reason
  /** Minutes of continuous use so far. */
  minutes: number
}

export type FeedItem = UnitItem | BreakItem

export const defaultRating = 1000

export const limitsOfState = {
  served: 12,
  topicResults: 10,
  reteach: 5,
  answerTimes: 20,
  eventIds: 200,
} as const

export const defaultPreferences: Preferences = {
  contextMode: 'idle',
  difficulty: 'balanced',
  formats: [],
  breakMinutes: 25,
  dailyGoal: 10,
  timeZone: 'UTC',
  pinnedFormats: {},
}

function neutralWeights(): Record<Format, number> {
  return { text: 0.5, quiz: 0.5, audio: 0.5, visual: 0.5 }
}

/** A learner nobody knows anything about yet. */
export function emptyLearnerState(learnerId: string, preferences: Partial<Preferences> = {}): LearnerState {
  return {
    learnerId,
    topics: {},
    cards: {},
    formatWeights: { driving: neutralWeights(), commuting: neutralWeights(), working: neutralWeights(), idle: neutralWeights() },
    centroid: null,
    recent: {
      skipStreak: 0,
      audioCompletions: { value: 0, at: 0 },
      libraryLikes: { value: 0, at: 0 },
      served: [],
      reteach: [],
      answerTimesMs: [],
      sessionStartedAt: null,
      lastActivityAt: null,
      lastEventAt: null,
      breakOfferedAt: null,
      eventIds: [],
    },
    streak: { current: 0, best: 0, lastDay: null },
    preferences: { ...defaultPreferences, ...preferences },
  }
}

/** Concept keys are a topic's own words; a card belongs to the pair. */
export function cardKey(topicId: string, conceptKey: string): string {
  return `${topicId}:${conceptKey}`
}

export function topicState(state: LearnerState, topicId: string): TopicState {
  return state.topics[topicId] ?? { rating: defaultRating, answers: 0, results: [], impressions: 0, engagement: 0.5 }
}

/** Share of correct answers among the recent ones, or null with fewer than `minimum`. */
export function topicAccuracy(topic: TopicState, minimum = 2): number | null {
  if (topic.results.length < minimum) return null
  return topic.results.filter(Boolean).length / topic.results.length
}

/** The last `size` items of a list (lists in the state are bounded so it stays small). */
export function keepLast<T>(items: readonly T[], size: number): T[] {
  return items.length <= size ? [...items] : items.slice(items.length - size)
}
