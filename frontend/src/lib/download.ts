/**
 * Saves text as a file the browser downloads. Exports are fetched with the access token (which lives
 * in memory, so a plain link could not carry it) and handed over as a blob URL, revoked shortly after.
 */
export function downloadText(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = Object.assign(document.createElement('a'), { href: url, download: filename })
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Saves a value as pretty-printed JSON (two-space indent). */
export function downloadJson(value: unknown, filename: string): void {
  downloadText(JSON.stringify(value, null, 2), filename, 'application/json')
}
