/** Number and money formatting for the admin screens, in the viewer's locale (dates and ratios: lib/format.ts). Pure and tested. */

/**
 * US dollars with as many decimals as a small amount needs: AI calls often cost fractions of a
 * cent, and "$0.00" for a day that cost $0.0004 would hide that anything happened.
 * 0 → $0.00; ≥ $1 → 2 decimals; ≥ 1¢ → 3; smaller → 2 significant digits (max 6 decimals).
 */
export function formatUsd(value: number, locale: string): string {
  const amount = Number.isFinite(value) ? value : 0
  const magnitude = Math.abs(amount)
  const options: Intl.NumberFormatOptions = { style: 'currency', currency: 'USD' }
  if (magnitude === 0 || magnitude >= 1) Object.assign(options, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  else if (magnitude >= 0.01) Object.assign(options, { minimumFractionDigits: 2, maximumFractionDigits: 3 })
  else Object.assign(options, { minimumFractionDigits: 2, maximumFractionDigits: 6, maximumSignificantDigits: 2, roundingPriority: 'lessPrecision' })
  return new Intl.NumberFormat(locale, options).format(amount)
}

/** A short axis label: $0, $0.05, $2.5, $10. */
export function formatUsdTick(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 0, maximumFractionDigits: 4 }).format(value)
}

/** Token counts: 1,234 below ten thousand, then compact (12K, 3.4M). */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, value >= 10_000 ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: 0 }).format(value)
}
