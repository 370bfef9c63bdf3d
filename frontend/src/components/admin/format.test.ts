import { describe, expect, it } from 'vitest'
import { formatCount, formatUsd, formatUsdTick } from './format.ts'

describe('formatUsd', () => {
  it('shows cents for whole dollars and nothing spent', () => {
    expect(formatUsd(0, 'en-US')).toBe('$0.00')
    expect(formatUsd(1.015, 'en-US')).toBe('$1.02')
    expect(formatUsd(1234.5, 'en-US')).toBe('$1,234.50')
  })

  it('keeps fractions of a cent visible', () => {
    expect(formatUsd(0.0174, 'en-US')).toBe('$0.017')
    expect(formatUsd(0.05, 'en-US')).toBe('$0.05')
    expect(formatUsd(0.0004, 'en-US')).toBe('$0.0004')
    expect(formatUsd(0.000123, 'en-US')).toBe('$0.00012')
  })

  it('follows the locale', () => {
    expect(formatUsd(2.5, 'ru')).toMatch(/^2,50\s\$$/)
  })

  it('survives a value that is not a number', () => {
    expect(formatUsd(Number.NaN, 'en-US')).toBe('$0.00')
  })
})

describe('other formats', () => {
  it('formats ticks and counts', () => {
    expect(formatUsdTick(0, 'en-US')).toBe('$0')
    expect(formatUsdTick(0.005, 'en-US')).toBe('$0.005')
    expect(formatUsdTick(2.5, 'en-US')).toBe('$2.5')
    expect(formatCount(2700, 'en-US')).toBe('2,700')
    expect(formatCount(12_345, 'en-US')).toBe('12.3K')
  })
})
