/**
 * The password rule of the medical-information security guideline (v6.0): at least 13
 * characters, or at least 8 when a second factor (TOTP) guards the account too. Shared so the
 * workstation can say the rule before the server refuses. Also refused: the user name itself
 * and passwords of one repeated character, which meet the length and nothing else.
 */
export const PASSWORD_MIN_LENGTH = 13
export const PASSWORD_MIN_LENGTH_WITH_SECOND_FACTOR = 8
export const PASSWORD_MAX_LENGTH = 256

export type PasswordPolicyProblem = 'too-short' | 'too-long' | 'same-as-username' | 'one-character'

export interface PasswordPolicyContext {
  username: string
  /** The account has TOTP enrolled, so 8 characters suffice. */
  hasSecondFactor: boolean
}

/** Why the password breaks the policy, or undefined when it meets it. Length counts code points. */
export function checkPasswordPolicy(password: string, context: PasswordPolicyContext): PasswordPolicyProblem | undefined {
  const length = [...password].length
  const minimum = context.hasSecondFactor ? PASSWORD_MIN_LENGTH_WITH_SECOND_FACTOR : PASSWORD_MIN_LENGTH
  if (length < minimum) return 'too-short'
  if (length > PASSWORD_MAX_LENGTH) return 'too-long'
  if (password.trim().toLowerCase() === context.username.trim().toLowerCase()) return 'same-as-username'
  if (new Set(password).size === 1) return 'one-character'
  return undefined
}
