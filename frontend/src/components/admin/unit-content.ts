/**
 * A reported unit's body as plain lines an admin can read and judge: every unit type and quiz kind
 * (lib/content/unit-schema.ts), answers marked. Anything unrecognised falls back to its JSON, so a
 * new unit type is never shown as blank.
 */
export interface ContentLine {
  /** What the line is: title, text, question, option, answer, explanation, line (dialogue), frame. */
  role: 'title' | 'text' | 'detail' | 'question' | 'option' | 'answer' | 'explanation' | 'line' | 'frame' | 'raw'
  text: string
  /** For options: this is the correct one. */
  correct?: boolean
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== ''

export function unitContentLines(body: Record<string, unknown>): ContentLine[] {
  const lines: ContentLine[] = []
  const push = (role: ContentLine['role'], value: unknown) => {
    if (isText(value)) lines.push({ role, text: value })
  }
  push('title', body.title)
  if (body.kind === 'true_false') {
    push('question', body.statement)
    if (typeof body.correct === 'boolean') lines.push({ role: 'answer', text: String(body.correct) })
  } else if (body.kind === 'fill_blank') {
    push('question', body.text)
    const accepted = [body.answer, ...(Array.isArray(body.accept) ? body.accept : [])].filter(isText)
    if (accepted.length > 0) lines.push({ role: 'answer', text: accepted.join(' / ') })
  } else if (isText(body.question)) {
    push('question', body.question)
    if (Array.isArray(body.options)) body.options.forEach((option, index) => isText(option) && lines.push({ role: 'option', text: option, correct: index === body.correct }))
  } else {
    push('text', body.text)
  }
  push('detail', body.detail)
  if (Array.isArray(body.lines)) {
    const names = Array.isArray(body.characters) ? body.characters.map((character) => (character as { name?: unknown }).name) : []
    for (const line of body.lines as { speaker?: number; text?: unknown }[]) {
      const name = names[line.speaker ?? -1]
      if (isText(line.text)) lines.push({ role: 'line', text: isText(name) ? `${name}: ${line.text}` : line.text })
    }
  }
  if (Array.isArray(body.frames)) for (const frame of body.frames as { caption?: unknown }[]) push('frame', frame.caption)
  push('explanation', body.explanation)
  return lines.length > 0 ? lines : [{ role: 'raw', text: JSON.stringify(body) }]
}
