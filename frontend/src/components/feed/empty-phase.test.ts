import { describe, expect, it } from 'vitest'
import { emptyPhase } from './empty-phase.ts'

describe('why the feed is empty', () => {
  it('asks for a topic only when the learner has none', () => {
    expect(emptyPhase({ has_topics: false, pending_audio: 0 }, 'idle')).toBe('empty')
    expect(emptyPhase({ has_topics: false, pending_audio: 0 }, 'driving')).toBe('empty')
    // An older server says nothing about topics: the first-run message, as before.
    expect(emptyPhase({}, 'working')).toBe('empty')
  })

  it('is caught up when reading, and tells audio on its way from none left when driving', () => {
    expect(emptyPhase({ has_topics: true, pending_audio: 0 }, 'idle')).toBe('caught-up')
    expect(emptyPhase({ has_topics: true, pending_audio: 3 }, 'commuting')).toBe('caught-up')
    expect(emptyPhase({ has_topics: true, pending_audio: 3 }, 'driving')).toBe('voicing')
    expect(emptyPhase({ has_topics: true, pending_audio: 0 }, 'driving')).toBe('quiet')
  })
})
