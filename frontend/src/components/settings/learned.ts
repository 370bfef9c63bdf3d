import type { Personalization } from '../../lib/api-driving.ts'
import { formatRatio } from '../../lib/format.ts'
import type { MessageKey } from '../../lib/i18n.ts'
import '../../lib/messages/driving.ts'
import { contextModes, type Format } from '../../lib/types.ts'

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

/** A weight at least 0.1 from 0.5 (nothing learned) is worth telling (lib/feed/personalize.ts uses the same). */
const isNotable = (weight: number) => Math.abs(weight - 0.5) >= 0.1

/** Whether any format weight moved far enough to be stated (the percentages need explaining then). */
export function hasLearnedFormats(data: Personalization): boolean {
  return Object.values(data.format_weights).some((weights) => Object.values(weights).some(isNotable))
}

/**
 * "What the system learned" in the learner's language, from the figures of
 * `GET /api/v1/me/personalization`. The server's own sentences are English; the ones it alone can
 * make (streaks, temporary rules) are passed through as they are.
 */
export function learnedStatements(data: Personalization, translate: Translate, locale: string): string[] {
  const percent = (value: number) => formatRatio(value, locale)
  const formatName = (format: Format) => translate(`learned.format.${format}`)
  const lines: string[] = []

  for (const mode of contextModes) {
    const modeName = translate(`mode.${mode}`)
    const pinned = data.pinned_formats[mode]
    if (pinned) lines.push(translate('learned.pinned', { mode: modeName, format: formatName(pinned) }))
    const weights = data.format_weights[mode]
    if (!weights) continue
    const learned = (Object.entries(weights) as [Format, number][]).filter(([, weight]) => isNotable(weight)).sort((a, b) => b[1] - a[1])
    if (learned.length === 0) continue
    const list = learned.map(([format, weight]) => translate(weight > 0.5 ? 'learned.more' : 'learned.less', { format: formatName(format), percent: percent(weight) })).join(', ')
    lines.push(translate('learned.mode', { mode: modeName, list }))
  }

  for (const topic of data.topics) {
    if (topic.answers === 0) continue
    lines.push(
      topic.recent_accuracy === null
        ? translate('learned.level', { topic: topic.title, level: topic.level })
        : translate('learned.levelAccuracy', { topic: topic.title, level: topic.level, percent: percent(topic.recent_accuracy) }),
    )
  }
  const engaged = data.topics.filter((topic) => topic.engagement >= 0.6).sort((a, b) => b.engagement - a.engagement)
  if (engaged.length > 0) lines.push(translate('learned.interest', { topics: engaged.slice(0, 3).map((topic) => topic.title).join(', ') }))
  if (data.liked_units_in_profile > 0) lines.push(translate('learned.liked', { count: data.liked_units_in_profile }))
  if (data.difficulty_preference === 'easier' || data.difficulty_preference === 'harder') lines.push(translate(`learned.difficulty.${data.difficulty_preference}`))
  for (const statement of data.statements) {
    // Said above in the learner's language, from difficulty_preference.
    if (statement.code === 'difficulty_choice') continue
    if (statement.kind === 'rule' || statement.kind === 'streak') lines.push(statement.text)
  }
  return lines
}
