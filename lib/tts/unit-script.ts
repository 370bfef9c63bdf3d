import type { Dialogue } from './index.ts'

/**
 * What a unit says when it is spoken, and so whether it is audio-worthy: a scenario's lines as a
 * two-voice dialogue, else the audio script the content engine wrote (absent for quizzes and for
 * units too short or too visual to listen to). The one rule the synthesize-audio worker, the
 * content engine, the driving queue and the audio branch all ask.
 */
export interface SpeakableUnit {
  type: string
  body: Record<string, unknown>
  audio_script: string | null
}

export function speechScript(unit: SpeakableUnit): string | Dialogue | null {
  if (unit.type === 'scenario') {
    const body = unit.body as { characters?: { name?: unknown }[]; lines?: { speaker?: unknown; text?: unknown }[] }
    const names = (body.characters ?? []).map((character) => (typeof character.name === 'string' ? character.name : ''))
    const lines = (body.lines ?? []).filter((line): line is { speaker: 0 | 1; text: string } => (line.speaker === 0 || line.speaker === 1) && typeof line.text === 'string')
    if (names.length === 2 && lines.length > 0) return { characters: [names[0]!, names[1]!], lines }
  }
  return unit.audio_script?.trim() ? unit.audio_script : null
}

export function isAudioWorthy(unit: SpeakableUnit): boolean {
  return speechScript(unit) !== null
}
