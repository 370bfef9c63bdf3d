/** Calendar days as the API writes them (YYYY-MM-DD). Pure and tested. */

const dayMs = 86_400_000

/** The `count` calendar days ending with `last` (YYYY-MM-DD), oldest first. */
export function lastDays(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`)
  return Array.from({ length: count }, (_, index) => new Date(end - (count - 1 - index) * dayMs).toISOString().slice(0, 10))
}

/** The learner's local date (YYYY-MM-DD) now, in their time zone when the browser knows it. */
export function localDate(now: Date, timeZone?: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  } catch {
    return now.toISOString().slice(0, 10)
  }
}
