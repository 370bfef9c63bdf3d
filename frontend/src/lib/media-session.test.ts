import { describe, expect, it } from 'vitest'
import { positionState } from './media-session.ts'

describe('positionState', () => {
  it('keeps the position inside the duration and refuses unknown durations', () => {
    expect(positionState(120, 130, 1.5)).toEqual({ duration: 120, position: 120, playbackRate: 1.5 })
    expect(positionState(120, Number.NaN, 0)).toEqual({ duration: 120, position: 0, playbackRate: 1 })
    expect(positionState(Number.POSITIVE_INFINITY, 3, 1)).toBeNull()
    expect(positionState(0, 0, 1)).toBeNull()
  })
})
