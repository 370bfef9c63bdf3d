import { describe, expect, it } from 'vitest'
import { formatDay, formatInstant, formatInstantDate, formatInstantTime, formatRatio } from './format.ts'

describe('days', () => {
  it('writes a calendar day short, medium or in full, the same day in every time zone', () => {
    expect(formatDay('2026-03-02', 'en-US')).toBe('Mar 2')
    expect(formatDay('2026-03-02', 'en-US', 'medium')).toBe('Mar 2, 2026')
    expect(formatDay('2026-03-02', 'en-US', 'full')).toBe('Monday, March 2, 2026')
  })
})

describe('instants', () => {
  it('writes date and time, the date alone or the time alone, in the given time zone', () => {
    expect(formatInstant('2026-03-02T09:05:00Z', 'en-US', 'UTC')).toBe('Mar 2, 2026, 9:05 AM')
    expect(formatInstant('2026-03-02T09:05:00Z', 'en-GB', 'Europe/Moscow')).toBe('2 Mar 2026, 12:05')
    expect(formatInstantDate('2026-03-02T22:05:00Z', 'en-US', 'UTC')).toBe('Mar 2, 2026')
    expect(formatInstantDate('2026-03-02T22:05:00Z', 'en-US', 'Asia/Tokyo')).toBe('Mar 3, 2026')
    expect(formatInstantTime('2026-03-02T09:05:00Z', 'en-GB', 'Europe/Moscow')).toBe('12:05')
  })
})

describe('ratios', () => {
  it('writes a ratio as a whole percentage, and nothing to divide as a dash', () => {
    expect(formatRatio(0.75, 'en-US')).toBe('75%')
    expect(formatRatio(null, 'en-US')).toBe('–')
  })
})
