/**
 * Errors a route throws to answer with a contract error body ({ error, message }).
 * The server's error handler turns them into responses; anything else becomes 'internal'.
 */
import type { ApiError, ApiErrorCode } from '../shared/api-contract.ts'

export class ApiHttpError extends Error {
  readonly statusCode: number
  readonly code: ApiErrorCode

  constructor(statusCode: number, code: ApiErrorCode, message: string) {
    super(message)
    this.statusCode = statusCode
    this.code = code
  }

  get body(): ApiError {
    return { error: this.code, message: this.message }
  }
}

export const unauthenticated = () => new ApiHttpError(401, 'unauthenticated', 'Sign in to continue.')
export const tokenExpired = () => new ApiHttpError(401, 'token-expired', 'The session has expired; sign in again.')
export const forbidden = () => new ApiHttpError(403, 'forbidden', 'This study is not assigned to you.')
export const adminOnly = () => new ApiHttpError(403, 'forbidden', 'Only an administrator may do this.')
export const notFound = (what: string) => new ApiHttpError(404, 'not-found', `${what} not found.`)
export const badRequest = (message: string) => new ApiHttpError(400, 'bad-request', message)
export const notYourAssignment = () => new ApiHttpError(403, 'forbidden', 'This assignment is not yours.')
export const alreadySubmitted = () =>
  new ApiHttpError(409, 'already-submitted', 'This assignment already has a report; a submitted report cannot be replaced.')
