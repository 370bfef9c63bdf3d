import { describe, expect, it } from 'vitest'
import { isAppError } from '../errors.ts'
import { decodeTimeCursor, encodeTimeCursor } from './cursor.ts'

describe('time cursors', () => {
  it('give back the time and id they were made of', () => {
    const at = new Date('2026-03-02T10:00:00.123Z')
    const cursor = encodeTimeCursor(at, '6f1c1f1e-5d0a-4a55-9a55-2f2d7c1f0a01')
    expect(cursor).toMatch(/^[\w-]+$/)
    expect(decodeTimeCursor(cursor)).toEqual({ at, id: '6f1c1f1e-5d0a-4a55-9a55-2f2d7c1f0a01' })
  })

  it.each([
    ['not base64 JSON', '!!!'],
    ['a bare uuid', '6f1c1f1e-5d0a-4a55-9a55-2f2d7c1f0a01'],
    ['a wrong shape', Buffer.from(JSON.stringify({ at: '2026-03-02T10:00:00Z' })).toString('base64url')],
    ['a time that is no time', Buffer.from(JSON.stringify(['yesterday', '6f1c1f1e-5d0a-4a55-9a55-2f2d7c1f0a01'])).toString('base64url')],
    ['an id that is no uuid', Buffer.from(JSON.stringify(['2026-03-02T10:00:00Z', "1' or '1'='1"])).toString('base64url')],
  ])('refuse %s as a 422 on the cursor parameter', (_, cursor) => {
    let caught: unknown
    try {
      decodeTimeCursor(cursor)
    } catch (error) {
      caught = error
    }
    expect(isAppError(caught) && caught.code).toBe('validation_failed')
    expect(isAppError(caught) && caught.status).toBe(422)
  })
})
