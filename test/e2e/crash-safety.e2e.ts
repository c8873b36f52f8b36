/**
 * Crash safety: the whole browser is killed (SIGKILL to Chromium's process group: no unload,
 * no graceful shutdown of IndexedDB) while it prefetches, while the reader types a report and
 * while a submitted report is on its way; then it starts again on the same profile and the
 * reader logs in again. Nothing typed more than a moment before the kill is lost, a report is
 * stored by the server exactly once, and the prefetch picks up where it stopped and ends with
 * every instance byte-identical to the server's.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type Page, type Route } from '@playwright/test'
import { launchKillableBrowser, type KillableBrowser } from '../harness/killable-browser.ts'
import { assignmentIdOf, storedReports } from './demo-assignments.ts'
import { logIn, openStudy, useDemoServer } from './demo-server-fixture.ts'
import { assignGeneratedCt } from './generated-ct-fixture.ts'
import { readWorkstationIdb } from './workstation-idb.ts'

/** The head CT's scout (demo 'ct-head-prior'): reader2 first-reads it, reader3 second-reads it. */
const SCOUT_STUDY_UID = '1.3.46.670589.33.1.15053592413351079234.27718218421047494460'
const MR_STUDY_UID = '1.113654.3.13.1026'
/** The report editor saves 250 ms after a change; this much more covers sealing and the flushed commit. */
const SAVE_DELAY_MS = 250
const SAVE_MARGIN_MS = 500

const demo = useDemoServer()

const profiles: string[] = []
const browsers: KillableBrowser[] = []

async function newProfile(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rw-crash-profile-'))
  profiles.push(dir)
  return dir
}

/** Starts Chromium on the profile, opens the workstation and logs the reader in. */
async function startAndLogIn(profile: string, username: string): Promise<KillableBrowser> {
  const browser = await launchKillableBrowser(profile)
  browsers.push(browser)
  await browser.page.goto(demo.server.url)
  await logIn(browser.page, username)
  await expect(browser.page.getByTestId('worklist-row').first()).toBeVisible({ timeout: 30_000 })
  return browser
}

/** Opens the study and waits for its report editor to accept text. */
async function openForReporting(page: Page, studyInstanceUid: string): Promise<void> {
  await openStudy(page, studyInstanceUid)
  await expect(page.getByTestId('report-status')).toHaveAttribute('data-status', 'editing', { timeout: 30_000 })
  await page.getByTestId('impression-editor').click()
}

/** What a run measured: in the report's annotations, and on the console for the list reporter. */
function note(type: string, description: string): void {
  test.info().annotations.push({ type, description })
  console.log(`${type}: ${description}`)
}

test.afterEach(async () => {
  for (const b of browsers.splice(0)) await b.close().catch(() => undefined)
  for (const dir of profiles.splice(0)) await rm(dir, { recursive: true, force: true })
})

test('killed during prefetch: the restart resumes where it stopped and ends with every instance intact', async () => {
  test.setTimeout(240_000)
  const ct = await assignGeneratedCt(demo.server, { slices: 240, seed: 'crash-prefetch', username: 'reader3', priority: 'stat' })
  const profile = await newProfile()
  const first = await startAndLogIn(profile, 'reader3')

  // kill once a good part, but not all, of the CT is in the cache
  let before = 0
  await expect
    .poll(
      async () => {
        const study = (await readWorkstationIdb(first.page)).studies.find((s) => s.studyInstanceUid === ct.studyInstanceUid)
        before = study?.cachedInstanceCount ?? 0
        return before
      },
      { timeout: 60_000, intervals: [50] },
    )
    .toBeGreaterThanOrEqual(24)
  expect(before, 'the prefetch finished before the kill: the test proves nothing').toBeLessThan(ct.instanceCount - 24)
  await first.kill()

  // before logging in again: what survived is consistent (counters and bytes written together)
  const second = await launchKillableBrowser(profile)
  browsers.push(second)
  await second.page.goto(demo.server.url)
  const survived = await readWorkstationIdb(second.page)
  const study = survived.studies.find((s) => s.studyInstanceUid === ct.studyInstanceUid)!
  expect(study.cachedInstanceCount).toBeGreaterThanOrEqual(before)
  expect(study.cachedInstanceCount).toBeLessThan(ct.instanceCount)
  expect(survived.blobsPerStudy[ct.studyInstanceUid]).toBe(study.cachedInstanceCount)
  expect(study.complete).toBe(false)

  // the restart fetches only what is missing
  const fetched = new Set<string>()
  second.context.on('request', (request) => {
    const match = /\/instances\/([0-9.]+)$/.exec(new URL(request.url()).pathname)
    if (match && ct.sha256.has(match[1]!)) fetched.add(match[1]!)
  })
  await logIn(second.page, 'reader3')
  const row = second.page.locator(`[data-testid="worklist-row"][data-study-uid="${ct.studyInstanceUid}"]`)
  await expect(row.getByTestId('cache-state')).toHaveAttribute('data-state', 'complete', { timeout: 120_000 })
  const after = await readWorkstationIdb(second.page, ct.studyInstanceUid)
  const done = after.studies.find((s) => s.studyInstanceUid === ct.studyInstanceUid)!
  expect(done).toMatchObject({ cachedInstanceCount: ct.instanceCount, complete: true })
  expect(after.blobsPerStudy[ct.studyInstanceUid]).toBe(ct.instanceCount)
  expect(new Map(Object.entries(after.hashes!))).toEqual(ct.sha256)
  expect(fetched.size).toBeGreaterThan(0)
  expect(fetched.size).toBeLessThanOrEqual(ct.instanceCount - study.cachedInstanceCount)
  note('prefetch', `killed at ${before}/${ct.instanceCount} cached; ${study.cachedInstanceCount} survived; ${fetched.size} fetched after the restart`)
})

test('killed while typing: everything typed until a moment before the kill is restored', async () => {
  test.setTimeout(180_000)
  const assignmentId = await assignmentIdOf(demo.server, 'reader2', MR_STUDY_UID)
  const profile = await newProfile()
  const first = await startAndLogIn(profile, 'reader2')
  await openForReporting(first.page, MR_STUDY_UID)

  // type without a pause, a key at a time, noting when each key was in; the kill follows the last key at once
  const text = '右舟状骨に骨折線なし。橈骨遠位端に異常を認めない。Carpal alignment preserved, no effusion. 関節裂隙は保たれている。'.repeat(2)
  const typedAt: number[] = []
  for (const ch of text) {
    await first.page.keyboard.type(ch)
    typedAt.push(Date.now())
  }
  const killedAt = Date.now()
  await first.kill()
  const mustKeep = [...text].filter((_, i) => typedAt[i]! <= killedAt - SAVE_DELAY_MS - SAVE_MARGIN_MS).join('')
  expect(mustKeep.length, 'typing was too short to tell a save from none').toBeGreaterThan(20)

  const second = await launchKillableBrowser(profile)
  browsers.push(second)
  await second.page.goto(demo.server.url)
  const drafts = (await readWorkstationIdb(second.page)).drafts.filter((d) => d.assignmentId === assignmentId)
  expect(drafts).toHaveLength(1)
  const stored = drafts[0]!.content!.impression
  expect(stored.startsWith(mustKeep), `stored draft "${stored}" lost text typed before ${SAVE_DELAY_MS + SAVE_MARGIN_MS} ms ahead of the kill`).toBe(true)
  expect(text.startsWith(stored)).toBe(true)

  // the reader logs in again and finds the text in the editor
  await logIn(second.page, 'reader2')
  await openStudy(second.page, MR_STUDY_UID)
  await expect(second.page.getByTestId('impression-editor')).toHaveText(stored, { timeout: 30_000 })
  note('typing', `${[...text].length} characters typed in ${killedAt - typedAt[0]!} ms; ${[...stored].length} restored; ${[...mustKeep].length} required`)
})

/**
 * Holds the assignment's report submissions: with `forward`, each is sent on to the server
 * first (which stores it) and only its answer is held; without, none reaches the server.
 */
async function holdReports(browser: KillableBrowser, assignmentId: string, forward: boolean): Promise<{ held: () => number; answers: string[] }> {
  let held = 0
  const answers: string[] = []
  await browser.context.route(`**/api/v1/assignments/${encodeURIComponent(assignmentId)}/report`, async (route: Route) => {
    if (route.request().method() !== 'POST') return route.continue()
    held += 1
    // never fulfilled: the browser is killed first
    if (forward) answers.push(await route.fetch().then((r) => String(r.status()), (e: unknown) => `failed: ${String(e)}`))
  })
  return { held: () => held, answers }
}

for (const { name, forward, username } of [
  { name: 'the server stored it but its answer never arrived', forward: true, username: 'reader2' },
  { name: 'the request never reached the server', forward: false, username: 'reader3' },
]) {
  test(`killed during submit (${name}): the restart sends the report, stored exactly once`, async () => {
    test.setTimeout(180_000)
    const assignmentId = await assignmentIdOf(demo.server, username, SCOUT_STUDY_UID)
    const impression = forward ? '送信中に強制終了（サーバー保存済み）。異常なし。' : '送信中に強制終了（サーバー未着）。異常なし。'
    const profile = await newProfile()
    const first = await startAndLogIn(profile, username)
    const held = await holdReports(first, assignmentId, forward)
    await openForReporting(first.page, SCOUT_STUDY_UID)
    await first.page.keyboard.type(impression)
    await first.page.keyboard.press('Control+Enter')
    await expect(first.page.getByTestId('report-status')).toHaveAttribute('data-status', 'queued')
    await expect.poll(held.held, { timeout: 30_000 }).toBeGreaterThan(0)
    if (forward) {
      await expect.poll(() => held.answers, { timeout: 30_000 }).toEqual(['201'])
      expect(await storedReports(demo.server, assignmentId)).toEqual([{ impression }])
    } else {
      expect(await storedReports(demo.server, assignmentId)).toHaveLength(0)
    }
    await first.kill()

    const second = await launchKillableBrowser(profile)
    browsers.push(second)
    await second.page.goto(demo.server.url)
    const queued = (await readWorkstationIdb(second.page)).outbox.filter((o) => o.assignmentId === assignmentId)
    expect(queued).toMatchObject([{ state: 'pending', content: { impression } }])
    await logIn(second.page, username)
    await expect.poll(async () => (await readWorkstationIdb(second.page)).outbox.filter((o) => o.assignmentId === assignmentId).map((o) => o.state), { timeout: 60_000 }).toEqual(['sent'])
    const after = (await readWorkstationIdb(second.page)).outbox.find((o) => o.assignmentId === assignmentId)!
    expect(after.idempotencyKey).toBe(queued[0]!.idempotencyKey)
    expect(await storedReports(demo.server, assignmentId)).toEqual([{ impression }])
    // reopened, the report shows as sent, not as a draft to write again
    await openStudy(second.page, SCOUT_STUDY_UID)
    await expect(second.page.getByTestId('report-status')).toHaveAttribute('data-status', 'sent', { timeout: 30_000 })
  })
}
