/**
 * Saves a file the user asked for (a CSV export) through a link with `download`: Chromium
 * downloads it under the name given; Electron asks where to save it.
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // the download has taken the bytes by then; the address need not outlive it
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
