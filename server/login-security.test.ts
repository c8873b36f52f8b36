/**
 * Issue 7's server checks of sign-in: brute-force lock-out (per user name and per address,
 * identical for unknown users), TOTP with ±1 step clock skew and replay refusal, recovery codes,
 * short-lived access tokens with rotating refresh tokens, and revocation on logout and reuse.
 * The server's clock is injected and moved, so nothing waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiErrorSchema, apiPaths, loginResponseSchema, type LoginResponse } from '../shared/api-contract.ts'
import { ACCESS_TOKEN_TTL_SECONDS, authPaths, totpConfirmResponseSchema, totpEnrolmentSchema } from '../shared/auth-contract.ts'
import { ADDRESS_THROTTLE, USER_THROTTLE } from './login-throttle.ts'
import { hashPassword } from './password-hash.ts'
import { startReadingServer, type RunningReadingServer } from './start-reading-server.ts'
import { DB_TEMPLATE_DIR } from './test-database-template.ts'
import { totpCode } from './totp.ts'
import { createUser } from './user-repository.ts'

const PASSWORD = 'a-long-enough-password'
let server: RunningReadingServer
let clock = new Date('2026-11-22T03:00:00Z')
const advance = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000))
let userCount = 0

beforeAll(async () => {
  server = await startReadingServer({ dataDir: null, now: () => clock, databaseTemplateDir: DB_TEMPLATE_DIR })
})

afterAll(async () => {
  await server?.close()
})

let passwordHash: Promise<string> | undefined
async function newUser(role: 'reader' | 'admin' = 'reader'): Promise<string> {
  passwordHash ??= hashPassword(PASSWORD)
  const username = `user${++userCount}`
  await createUser(server.db, { username, displayName: username, role, passwordHash: await passwordHash })
  return username
}

function post(path: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
}
const me = (token: string) => fetch(`${server.url}${apiPaths.me}`, { headers: { authorization: `Bearer ${token}` } })

async function login(username: string, password = PASSWORD, extra: Record<string, string> = {}): Promise<Response> {
  return post(apiPaths.login, { username, password, ...extra })
}

async function loggedIn(response: Response): Promise<LoginResponse> {
  const text = await response.text()
  expect(response.status, text).toBe(200)
  return loginResponseSchema.parse(JSON.parse(text))
}

async function errorOf(response: Response) {
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: apiErrorSchema.parse(await response.json()) }
}

/** Enrols TOTP for a user; answers the secret and the recovery codes. */
async function enrol(username: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { accessToken } = await loggedIn(await login(username))
  const enrolment = totpEnrolmentSchema.parse(await (await post(authPaths.totpEnrolment, { password: PASSWORD }, accessToken)).json())
  expect(new URL(enrolment.otpauthUri).searchParams.get('secret')).toBe(enrolment.secret)
  const confirm = await post(authPaths.totpConfirm, { code: totpCode(enrolment.secret, clock) }, accessToken)
  expect(confirm.status).toBe(200)
  const { recoveryCodes } = totpConfirmResponseSchema.parse(await confirm.json())
  // the enrolment code's step is used; three steps on, every code of the skew window is fresh
  advance(90)
  return { secret: enrolment.secret, recoveryCodes }
}

describe('brute-force lock-out', () => {
  it(`locks a user name after ${USER_THROTTLE.maxFailures} failures, refuses even the right password, and says when to retry`, async () => {
    const username = await newUser()
    for (let i = 1; i < USER_THROTTLE.maxFailures; i++) {
      expect((await errorOf(await login(username, 'wrong-password-guess'))).body.error).toBe('invalid-credentials')
    }
    const locking = await errorOf(await login(username, 'wrong-password-guess'))
    expect(locking.status).toBe(429)
    expect(locking.body.error).toBe('too-many-attempts')
    expect(locking.body.retryAfterSeconds).toBe(USER_THROTTLE.lockSeconds)
    expect(locking.retryAfter).toBe(String(USER_THROTTLE.lockSeconds))

    advance(60)
    const right = await errorOf(await login(username))
    expect(right.status).toBe(429)
    expect(right.body.retryAfterSeconds).toBe(USER_THROTTLE.lockSeconds - 60)
    // other users are not affected
    await loggedIn(await login(await newUser()))

    advance(USER_THROTTLE.lockSeconds - 60)
    await loggedIn(await login(username))
  })

  it('answers an unknown user name exactly as a known one, lock included', async () => {
    const known = await newUser()
    const answers = async (username: string) => {
      const out = []
      for (let i = 0; i < USER_THROTTLE.maxFailures + 1; i++) out.push(await errorOf(await login(username, 'wrong-password-guess')))
      return out
    }
    const [a, b] = [await answers(known), await answers('no-such-user')]
    expect(b).toEqual(a)
    expect(a.at(-1)?.status).toBe(429)
    advance(USER_THROTTLE.lockSeconds)
  })

  it('a successful log-in clears the count', async () => {
    const username = await newUser()
    for (let i = 1; i < USER_THROTTLE.maxFailures; i++) await login(username, 'wrong-password-guess')
    await loggedIn(await login(username))
    expect((await errorOf(await login(username, 'wrong-password-guess'))).body.error).toBe('invalid-credentials')
    advance(USER_THROTTLE.windowSeconds)
  })
})

describe('TOTP two-factor log-in', () => {
  it('asks for the code after the right password only, accepts ±1 step, refuses ±2 steps and a replayed step', async () => {
    const username = await newUser()
    const { secret } = await enrol(username)
    // a wrong password is still just wrong: "totp-required" would confirm the password
    expect((await errorOf(await login(username, 'wrong-password-guess'))).body.error).toBe('invalid-credentials')
    const asked = await errorOf(await login(username))
    expect(asked).toMatchObject({ status: 401, body: { error: 'totp-required' } })

    const codeAt = (steps: number) => totpCode(secret, new Date(clock.getTime() + steps * 30_000))
    expect((await errorOf(await login(username, PASSWORD, { totpCode: codeAt(-2) }))).body.error).toBe('invalid-credentials')
    expect((await errorOf(await login(username, PASSWORD, { totpCode: codeAt(2) }))).body.error).toBe('invalid-credentials')
    const session = await loggedIn(await login(username, PASSWORD, { totpCode: codeAt(-1) }))
    expect(session.totpEnabled).toBe(true)
    // the phone runs a step ahead of the server
    advance(90)
    const ahead = codeAt(1)
    await loggedIn(await login(username, PASSWORD, { totpCode: ahead }))
    // the same code again, even within its window, is refused; so is the step before it
    expect((await errorOf(await login(username, PASSWORD, { totpCode: ahead }))).body.error).toBe('invalid-credentials')
    expect((await errorOf(await login(username, PASSWORD, { totpCode: codeAt(0) }))).body.error).toBe('invalid-credentials')
    advance(USER_THROTTLE.windowSeconds)
  })

  it('accepts each recovery code once instead of a code', async () => {
    const username = await newUser()
    const { recoveryCodes } = await enrol(username)
    expect(new Set(recoveryCodes).size).toBe(recoveryCodes.length)
    const code = recoveryCodes[3] as string
    await loggedIn(await login(username, PASSWORD, { recoveryCode: code.toUpperCase() }))
    expect((await errorOf(await login(username, PASSWORD, { recoveryCode: code }))).body.error).toBe('invalid-credentials')
    expect((await errorOf(await login(username, PASSWORD, { recoveryCode: 'aaaaa-bbbbb' }))).body.error).toBe('invalid-credentials')
    const { rows } = await server.db.query<{ code_hash: string }>(
      'select code_hash from recovery_codes r join users u on u.id = r.user_id where u.username = $1',
      [username],
    )
    expect(rows).toHaveLength(10)
    expect(rows.map((r) => r.code_hash)).not.toContain(code)
    advance(USER_THROTTLE.windowSeconds)
  })

  it('refuses a wrong first code and a second enrolment; users without TOTP log in in one step', async () => {
    const username = await newUser()
    const plain = await loggedIn(await login(username))
    expect(plain.totpEnabled).toBe(false)
    // the password again: a token alone cannot enrol
    expect((await errorOf(await post(authPaths.totpEnrolment, { password: 'not-my-password' }, plain.accessToken))).body.error).toBe('invalid-credentials')
    expect((await errorOf(await post(authPaths.totpEnrolment, {}, plain.accessToken))).status).toBe(400)
    const enrolment = totpEnrolmentSchema.parse(await (await post(authPaths.totpEnrolment, { password: PASSWORD }, plain.accessToken)).json())
    const wrong = totpCode(enrolment.secret, new Date(clock.getTime() + 5 * 30_000))
    expect((await errorOf(await post(authPaths.totpConfirm, { code: wrong }, plain.accessToken))).status).toBe(400)
    // not enrolled yet: still one step
    await loggedIn(await login(username))
    expect((await post(authPaths.totpConfirm, { code: totpCode(enrolment.secret, clock) }, plain.accessToken)).status).toBe(200)
    expect((await errorOf(await post(authPaths.totpEnrolment, { password: PASSWORD }, plain.accessToken))).body.error).toBe('conflict')
    expect((await errorOf(await post(authPaths.totpEnrolment, { password: PASSWORD }))).status).toBe(401)
  })
})

describe('access and refresh tokens', () => {
  it('issues short-lived access tokens; refresh rotates and works after expiry', async () => {
    const username = await newUser()
    const first = await loggedIn(await login(username))
    expect(Date.parse(first.expiresAt) - clock.getTime()).toBe(ACCESS_TOKEN_TTL_SECONDS * 1000)
    advance(ACCESS_TOKEN_TTL_SECONDS)
    expect((await errorOf(await me(first.accessToken))).body.error).toBe('token-expired')

    const second = await loggedIn(await post(authPaths.refresh, { refreshToken: first.refreshToken }))
    expect(second.user.username).toBe(username)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect((await me(second.accessToken)).status).toBe(200)
    const third = await loggedIn(await post(authPaths.refresh, { refreshToken: second.refreshToken }))
    expect((await me(third.accessToken)).status).toBe(200)
  })

  it('reusing a rotated refresh token revokes the whole login', async () => {
    const first = await loggedIn(await login(await newUser()))
    const second = await loggedIn(await post(authPaths.refresh, { refreshToken: first.refreshToken }))
    // someone replays the first refresh token: refused, and the legitimate holder's tokens die too
    expect((await errorOf(await post(authPaths.refresh, { refreshToken: first.refreshToken }))).body.error).toBe('unauthenticated')
    expect((await errorOf(await me(second.accessToken))).body.error).toBe('unauthenticated')
    expect((await errorOf(await post(authPaths.refresh, { refreshToken: second.refreshToken }))).status).toBe(401)
  })

  it('logout revokes the access token and the refresh token', async () => {
    const session = await loggedIn(await login(await newUser()))
    const refreshed = await loggedIn(await post(authPaths.refresh, { refreshToken: session.refreshToken }))
    expect((await post(apiPaths.logout, undefined, refreshed.accessToken)).status).toBe(204)
    expect((await errorOf(await me(refreshed.accessToken))).body.error).toBe('unauthenticated')
    expect((await errorOf(await post(authPaths.refresh, { refreshToken: refreshed.refreshToken }))).body.error).toBe('unauthenticated')
  })

  it('refuses an expired refresh token and garbage', async () => {
    const session = await loggedIn(await login(await newUser()))
    advance(12 * 3600)
    expect((await errorOf(await post(authPaths.refresh, { refreshToken: session.refreshToken }))).status).toBe(401)
    expect((await errorOf(await post(authPaths.refresh, { refreshToken: 'x'.repeat(43) }))).status).toBe(401)
    expect((await errorOf(await post(authPaths.refresh, {}))).status).toBe(400)
  })
})

describe('password policy', () => {
  it('applies where passwords are set: user creation and password change', async () => {
    await expect(createUser(server.db, { username: 'shorty', displayName: 's', role: 'reader', password: 'short-pass' })).rejects.toThrow(/policy/)
    const username = await newUser()
    const { accessToken, refreshToken } = await loggedIn(await login(username))
    const elsewhere = await loggedIn(await login(username))
    const change = (currentPassword: string, newPassword: string) => post(authPaths.password, { currentPassword, newPassword }, accessToken)
    expect((await errorOf(await change(PASSWORD, 'eight-ch'))).body.error).toBe('password-policy')
    expect((await errorOf(await change('not-my-password', 'a-new-long-password'))).body.error).toBe('invalid-credentials')
    expect((await change(PASSWORD, 'a-new-long-password')).status).toBe(204)
    // the other session is signed out; this one goes on
    expect((await errorOf(await me(elsewhere.accessToken))).status).toBe(401)
    expect((await errorOf(await post(authPaths.refresh, { refreshToken: elsewhere.refreshToken }))).status).toBe(401)
    expect((await me(accessToken)).status).toBe(200)
    await loggedIn(await post(authPaths.refresh, { refreshToken }))
    expect((await errorOf(await login(username))).body.error).toBe('invalid-credentials')
    await loggedIn(await login(username, 'a-new-long-password'))
    advance(USER_THROTTLE.windowSeconds)
  })
})

// Last: it locks the test's own address for every user.
describe('per-address lock-out', () => {
  it(`locks an address after ${ADDRESS_THROTTLE.maxFailures} failures across user names`, async () => {
    const username = await newUser()
    let last
    for (let i = 0; i < ADDRESS_THROTTLE.maxFailures; i++) last = await errorOf(await login(`spray-${i}`, 'wrong-password-guess'))
    expect(last).toMatchObject({ status: 429, body: { error: 'too-many-attempts' } })
    expect((await errorOf(await login(username))).status).toBe(429)
    advance(ADDRESS_THROTTLE.lockSeconds)
    await loggedIn(await login(username))
  })
})
