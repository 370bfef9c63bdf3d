import { describe, expect, it } from 'vitest'
import { lastDays, localDate } from './days.ts'

describe('calendar days', () => {
  it('counts back across month and year ends', () => {
    expect(lastDays('2025-03-02', 4)).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02'])
    expect(lastDays('2025-01-01', 2)).toEqual(['2024-12-31', '2025-01-01'])
    expect(lastDays('2025-06-15', 14)).toHaveLength(14)
  })

  it('takes today in the learner’s time zone', () => {
    const lateUtc = new Date('2025-05-10T22:30:00Z')
    expect(localDate(lateUtc, 'UTC')).toBe('2025-05-10')
    expect(localDate(lateUtc, 'Asia/Tokyo')).toBe('2025-05-11')
    expect(localDate(lateUtc, 'Not/AZone')).toBe('2025-05-10')
  })
})
