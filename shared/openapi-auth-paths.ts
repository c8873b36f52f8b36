/** The authentication API's paths in the OpenAPI document: login (with TOTP), refresh, logout, TOTP enrolment, password change. */
import { apiPaths } from './api-contract.ts'
import { ACCESS_TOKEN_TTL_SECONDS, authPaths, RECOVERY_CODE_COUNT, REFRESH_TOKEN_TTL_SECONDS } from './auth-contract.ts'
import { authErrors, errorResponse, jsonContent, ref, type Json } from './openapi-parts.ts'

const tooManyAttempts = {
  description:
    'Too many failed sign-ins for this user name or from this address (error "too-many-attempts"): every attempt, even a right one, is refused until retryAfterSeconds (also the Retry-After header) pass. Unknown user names are throttled and answered exactly like known ones.',
  headers: { 'Retry-After': { description: 'Seconds until a sign-in may be tried again.', schema: { type: 'integer' } } },
  content: jsonContent(ref('ApiError')),
}

export function authPathItems(): Json {
  return {
    [apiPaths.login]: {
      post: {
        operationId: 'login',
        summary: 'Sign in with a user name and password (and a TOTP or recovery code when enrolled); returns an access and a refresh token.',
        description: `The access token lives ${ACCESS_TOKEN_TTL_SECONDS / 60} minutes; the refresh token, rotated on every use, ${REFRESH_TOKEN_TTL_SECONDS / 3600} hours since its last use. A user with TOTP whose password is right but who sent no code gets 401 "totp-required" and sends the request again with totpCode (the current 6-digit code; one 30-second step of clock skew either way; a step once used is refused) or recoveryCode (each works once).`,
        security: [],
        requestBody: { required: true, content: jsonContent(ref('LoginRequest')) },
        responses: {
          '200': { description: 'Signed in.', content: jsonContent(ref('LoginResponse')) },
          '400': errorResponse('The body is not a valid login request.'),
          '401': errorResponse(
            'Unknown user, wrong password or wrong/used code (error "invalid-credentials"; not distinguished), or the password is right and a TOTP code is needed ("totp-required").',
          ),
          '429': tooManyAttempts,
        },
      },
    },
    [authPaths.refresh]: {
      post: {
        operationId: 'refresh',
        summary: 'Exchange a refresh token for a new access token and a new refresh token (the old one is used up).',
        description:
          'Presenting a refresh token that was already exchanged revokes every token of that sign-in (the token was copied): both holders must sign in again.',
        security: [],
        requestBody: { required: true, content: jsonContent(ref('RefreshRequest')) },
        responses: {
          '200': { description: 'New tokens, same shape as a login.', content: jsonContent(ref('LoginResponse')) },
          '400': errorResponse('No refresh token in the body.'),
          '401': errorResponse('Unknown, expired, revoked or reused refresh token (error "unauthenticated"): sign in again.'),
        },
      },
    },
    [apiPaths.logout]: {
      post: {
        operationId: 'logout',
        summary: 'Revoke the bearer token used for this request and every token of its sign-in, refresh token included.',
        responses: { '204': { description: 'The tokens are revoked.' }, ...authErrors },
      },
    },
    [apiPaths.me]: {
      get: {
        operationId: 'getMe',
        summary: 'The signed-in user.',
        responses: { '200': { description: 'The user.', content: jsonContent(ref('User')) }, ...authErrors },
      },
    },
    [authPaths.totpEnrolment]: {
      post: {
        operationId: 'startTotpEnrolment',
        summary: 'Start two-factor enrolment: the server makes a new TOTP secret and answers it with its otpauth:// URI (for the QR code).',
        description: 'Needs the password again, so an access token alone cannot put a second factor on an account; a wrong one counts towards the lock-out.',
        requestBody: { required: true, content: jsonContent(ref('TotpEnrolmentRequest')) },
        responses: {
          '200': { description: 'The pending secret; not active until confirmed.', content: jsonContent(ref('TotpEnrolment')) },
          '400': errorResponse('No password in the body.'),
          '401': errorResponse('Bad bearer token, or the password is wrong (error "invalid-credentials").'),
          '429': tooManyAttempts,
          '409': errorResponse('The user already has TOTP (error "conflict").'),
        },
      },
    },
    [authPaths.totpConfirm]: {
      post: {
        operationId: 'confirmTotpEnrolment',
        summary: `Complete enrolment with the first code from the app; answers ${RECOVERY_CODE_COUNT} one-time recovery codes, shown once (the server keeps their hashes).`,
        requestBody: { required: true, content: jsonContent(ref('TotpConfirmRequest')) },
        responses: {
          '200': { description: 'TOTP is on for the next sign-in.', content: jsonContent(ref('TotpConfirmResponse')) },
          '400': errorResponse('The code is malformed or does not match the pending secret.'),
          ...authErrors,
          '409': errorResponse('No enrolment was started, or TOTP is on already (error "conflict").'),
        },
      },
    },
    [authPaths.password]: {
      post: {
        operationId: 'changePassword',
        summary: 'Change the password: at least 13 characters, or at least 8 for a user with TOTP; not the user name.',
        description: "Every other sign-in of the user (its access and refresh tokens) is revoked; the caller's goes on.",
        requestBody: { required: true, content: jsonContent(ref('ChangePasswordRequest')) },
        responses: {
          '204': { description: 'Changed.' },
          '400': errorResponse('The body is invalid, or the new password breaks the policy (error "password-policy").'),
          '401': errorResponse('Bad bearer token, or the current password is wrong (error "invalid-credentials").'),
          '429': tooManyAttempts,
        },
      },
    },
  }
}
