/**
 * Content-Security-Policy violations seen during an end-to-end test. Every page of every
 * browser context the test opens reports its `securitypolicyviolation` events (an init
 * script that logs them under a marker), and Chromium's own "Refused to …" console errors
 * are kept too: those also come from workers, where no init script runs. A test that saw a
 * violation fails after it ran, unless it took the violations it provoked on purpose.
 */
import { expect, test, type Browser, type BrowserContext, type ConsoleMessage } from '@playwright/test'

export const CSP_VIOLATION_MARKER = '[csp-violation]'

export interface CspViolation {
  /** 'event' from a securitypolicyviolation event, 'console' from Chromium's own message. */
  source: 'event' | 'console'
  text: string
  pageUrl: string
}

/** Runs in every frame before the app: reports each violation on the console, where the test collects it. */
function reportViolations(marker: string): void {
  document.addEventListener('securitypolicyviolation', (event) => {
    const { effectiveDirective, blockedURI, sourceFile, lineNumber, disposition } = event
    console.error(`${marker} ${JSON.stringify({ effectiveDirective, blockedURI, sourceFile, lineNumber, disposition, documentURI: event.documentURI })}`)
  })
}

/** Chromium's console wording for a policy violation (documents and workers alike). */
const CHROMIUM_VIOLATION = /Content Security Policy|Refused to (load|execute|connect|frame|compile|evaluate|create|apply|send)/i

/**
 * Violations known and waiting for a fix outside the test's reach, each with why it is
 * tolerated. They are still counted and shown on the test (annotation 'known-csp-violation').
 */
export const KNOWN_VIOLATIONS: { reason: string; matches(violation: CspViolation): boolean }[] = [
  {
    // @cornerstonejs/tools drawingSvg/drawTextBox.js: textElement.setAttribute('style', …) for
    // user-select/pointer-events/drop shadow; the policy drops that style (CSSOM would be allowed:
    // textElement.style.cssText = …). Delete this entry once the viewer patches or replaces it.
    reason: "Cornerstone's annotation text boxes set a style attribute (user-select, pointer-events, shadow): refused, the text is drawn without those styles",
    matches: (v) => fromAppScript(v, 'style-src-attr', 'inline') || (v.source === 'console' && /^Applying inline style violates the following Content Security Policy directive 'style-src 'self''/.test(v.text)),
  },
]

/** A securitypolicyviolation event for `directive`/`blocked` raised by one of the app's own bundled scripts. */
function fromAppScript(v: CspViolation, directive: string, blocked: string): boolean {
  if (v.source !== 'event') return false
  const { effectiveDirective, blockedURI, sourceFile } = JSON.parse(v.text) as { effectiveDirective: string; blockedURI: string; sourceFile: string }
  return effectiveDirective === directive && blockedURI === blocked && URL.parse(sourceFile)?.origin === URL.parse(v.pageUrl)?.origin && /\/assets\/[\w.-]+\.js$/.test(sourceFile)
}

let current: CspViolation[] = []
const watched = new WeakSet<BrowserContext>()

/** Watches one context (e.g. a persistent one a test launched itself) for violations. */
export async function watchCspViolations(context: BrowserContext): Promise<void> {
  if (watched.has(context)) return
  watched.add(context)
  context.on('console', (message: ConsoleMessage) => {
    const text = message.text()
    const pageUrl = message.page()?.url() ?? message.worker()?.url() ?? ''
    if (text.startsWith(CSP_VIOLATION_MARKER)) current.push({ source: 'event', text: text.slice(CSP_VIOLATION_MARKER.length).trim(), pageUrl })
    else if (message.type() === 'error' && CHROMIUM_VIOLATION.test(text)) current.push({ source: 'console', text, pageUrl })
  })
  await context.addInitScript(reportViolations, CSP_VIOLATION_MARKER)
}

/** The violations seen so far in this test, forgotten here: for a test that provokes them on purpose. */
export function takeCspViolations(): CspViolation[] {
  const taken = current
  current = []
  return taken
}

/**
 * Registers, for the calling test file, hooks that watch the test's context and every
 * context it creates, and fail the test when a violation was left over.
 */
export function failOnCspViolations(): void {
  let onContext: ((context: BrowserContext) => void) | undefined
  let watchedBrowser: Browser | undefined
  test.beforeEach(async ({ context, browser }) => {
    current = []
    await watchCspViolations(context)
    onContext = (created) => void watchCspViolations(created)
    watchedBrowser = browser
    browser.on('context', onContext)
  })
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixtures from a destructuring pattern
  test.afterEach(async ({}, testInfo) => {
    if (onContext) watchedBrowser?.off('context', onContext)
    const left: CspViolation[] = []
    for (const violation of takeCspViolations()) {
      const known = KNOWN_VIOLATIONS.find((k) => k.matches(violation))
      if (known) testInfo.annotations.push({ type: 'known-csp-violation', description: `${known.reason}: ${violation.text}` })
      else left.push(violation)
    }
    expect(left, 'Content-Security-Policy violations during this test').toEqual([])
  })
}
