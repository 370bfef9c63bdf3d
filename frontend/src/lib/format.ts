/** Dates, instants and ratios for display, in the viewer's locale. Pure and tested. */

/**
 * How a calendar day is written: `short` is month and day ("Mar 2" / "2 мар."), `medium` adds the
 * year ("Mar 2, 2026"), `full` the weekday too ("Monday, March 2, 2026").
 */
export type DayStyle = 'short' | 'medium' | 'full'

const dayOptions: Record<DayStyle, Intl.DateTimeFormatOptions> = {
  short: { month: 'short', day: 'numeric' },
  medium: { dateStyle: 'medium' },
  full: { dateStyle: 'full' },
}

/** A calendar day (YYYY-MM-DD) as written in `locale`; the day as it is, whatever the viewer's time zone. */
export function formatDay(day: string, locale: string, style: DayStyle = 'short'): string {
  return new Intl.DateTimeFormat(locale, { ...dayOptions[style], timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
}

function instantFormat(options: Intl.DateTimeFormatOptions) {
  return (iso: string, locale: string, timeZone?: string): string => new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(iso))
}

/** An instant with date and time ("Mar 2, 2026, 9:05 AM"), in the viewer's own time zone unless `timeZone` is given. */
export const formatInstant = instantFormat({ dateStyle: 'medium', timeStyle: 'short' })

/** The date of an instant ("Mar 2, 2026"), in the viewer's own time zone unless `timeZone` is given. */
export const formatInstantDate = instantFormat({ dateStyle: 'medium' })

/** The time of an instant ("9:05 AM"), in the viewer's own time zone unless `timeZone` is given. */
export const formatInstantTime = instantFormat({ timeStyle: 'short' })

/** A ratio 0…1 as a whole percentage, or an en dash when there is nothing to divide. */
export function formatRatio(value: number | null, locale: string): string {
  return value === null ? '–' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value)
}
