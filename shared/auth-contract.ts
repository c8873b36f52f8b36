/**
 * The authentication API beyond login/logout/me (api-contract.ts): refreshing the short-lived
 * access token, TOTP enrolment with recovery codes, and changing the password.
 */
import { z } from 'zod'
import { API_PREFIX } from './api-contract.ts'

export const authPaths = {
  /** POST { refreshToken }: a new access token and a new refresh token; the old refresh token is used up. */
  refresh: `${API_PREFIX}/auth/refresh`,
  /** POST { password } (signed in): start TOTP enrolment; the server makes the secret. */
  totpEnrolment: `${API_PREFIX}/auth/totp/enrolment`,
  /** POST { code } (signed in): the first code from the app completes enrolment; answers the recovery codes. */
  totpConfirm: `${API_PREFIX}/auth/totp/enrolment/confirm`,
  /** POST { currentPassword, newPassword } (signed in): change the password under the password policy. */
  password: `${API_PREFIX}/auth/password`,
} as const

/** Access tokens live this long by default; the workstation refreshes them silently. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60
/** A refresh token not used for this long expires: the user signs in again. */
export const REFRESH_TOKEN_TTL_SECONDS = 12 * 60 * 60
/** Recovery codes made at enrolment, each usable once instead of a TOTP code. */
export const RECOVERY_CODE_COUNT = 10

export const refreshRequestSchema = z
  .object({ refreshToken: z.string().min(20).max(200) })
  .meta({ id: 'RefreshRequest' })
export type RefreshRequest = z.infer<typeof refreshRequestSchema>

/**
 * The password again: a borrowed or stolen access token alone must not be able to put a second
 * factor on someone's account (which would lock its owner out).
 */
export const totpEnrolmentRequestSchema = z
  .object({ password: z.string().min(1).max(256) })
  .meta({ id: 'TotpEnrolmentRequest' })
export type TotpEnrolmentRequest = z.infer<typeof totpEnrolmentRequestSchema>

export const totpEnrolmentSchema = z
  .object({
    /** The shared secret, base32 (for typing into an app by hand). */
    secret: z.string().regex(/^[A-Z2-7]+$/),
    /** otpauth://totp/... for the QR code: SHA1, 6 digits, 30 seconds. */
    otpauthUri: z.string().startsWith('otpauth://totp/'),
  })
  .meta({ id: 'TotpEnrolment' })
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>

export const totpConfirmRequestSchema = z
  .object({ code: z.string().regex(/^\d{6}$/) })
  .meta({ id: 'TotpConfirmRequest' })
export type TotpConfirmRequest = z.infer<typeof totpConfirmRequestSchema>

export const totpConfirmResponseSchema = z
  .object({
    /** Shown once: the server keeps only their hashes. Each works once instead of a TOTP code. */
    recoveryCodes: z.array(z.string().min(8)).length(RECOVERY_CODE_COUNT),
  })
  .meta({ id: 'TotpConfirmResponse' })
export type TotpConfirmResponse = z.infer<typeof totpConfirmResponseSchema>

export const changePasswordRequestSchema = z
  .object({
    currentPassword: z.string().min(1).max(256),
    newPassword: z.string().min(1).max(1024),
  })
  .meta({ id: 'ChangePasswordRequest' })
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>
