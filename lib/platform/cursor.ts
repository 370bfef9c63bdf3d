import { z } from 'zod'
import { AppError } from '../errors.ts'

/**
 * Keyset cursors for pages ordered by (time, uuid): opaque to clients (base64url JSON), checked
 * when they come back, so a tampered or stale-format cursor is a 422 rather than a database error.
 * A cursor keeps milliseconds: the times these pages are ordered by are written from the app's clock
 * (a column defaulting to `now()`, with microseconds, would repeat or skip rows at page edges).
 */
export interface TimeCursor {
  at: Date
  id: string
}

const CursorTuple = z.tuple([z.iso.datetime(), z.uuid()])

export function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url')
}

export function decodeTimeCursor(cursor: string): TimeCursor {
  let parsed: z.infer<typeof CursorTuple>
  try {
    parsed = CursorTuple.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
  } catch {
    return invalidCursor()
  }
  return { at: new Date(parsed[0]), id: parsed[1] }
}

export function invalidCursor(): never {
  throw new AppError('validation_failed', { details: [{ in: 'query', path: 'cursor', message: 'must be a cursor from a previous page' }] })
}
