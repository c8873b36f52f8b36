/** Reading and creating users. Password hashes never leave this module except for verification. */
import { randomUUID } from 'node:crypto'
import type { User } from '../shared/api-contract.ts'
import type { Role } from '../shared/domain.ts'
import { checkPasswordPolicy } from '../shared/password-policy.ts'
import { ApiHttpError } from './api-error.ts'
import type { Queryable } from './database.ts'
import { hashPassword } from './password-hash.ts'

interface UserRow {
  id: string
  username: string
  display_name: string
  role: Role
  password_hash: string
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role }
}

export async function findUserById(db: Queryable, id: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>('select * from users where id = $1', [id])
  return rows[0] && toUser(rows[0])
}

export async function findUserByUsername(db: Queryable, username: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>('select * from users where username = $1', [username])
  return rows[0] && toUser(rows[0])
}

/** The user and their password hash, for login only. */
export async function findUserForLogin(db: Queryable, username: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const { rows } = await db.query<UserRow>('select * from users where username = $1', [username])
  const row = rows[0]
  return row && { user: toUser(row), passwordHash: row.password_hash }
}

export interface NewUser {
  username: string
  displayName: string
  role: Role
  id?: string
}

/** Creates a user from a password, or from a hash made beforehand (so several can be hashed in parallel). */
export async function createUser(
  db: Queryable,
  user: NewUser & ({ password: string } | { passwordHash: string }),
): Promise<User> {
  const id = user.id ?? randomUUID()
  if ('password' in user) {
    // new accounts have no second factor yet, so the long form of the policy applies
    const problem = checkPasswordPolicy(user.password, { username: user.username, hasSecondFactor: false })
    if (problem) throw new ApiHttpError(400, 'password-policy', `The password does not meet the policy (${problem}).`)
  }
  const passwordHash = 'passwordHash' in user ? user.passwordHash : await hashPassword(user.password)
  await db.query('insert into users (id, username, display_name, role, password_hash) values ($1, $2, $3, $4, $5)', [
    id,
    user.username,
    user.displayName,
    user.role,
    passwordHash,
  ])
  return { id, username: user.username, displayName: user.displayName, role: user.role }
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from users')
  return rows[0]?.n ?? 0
}

/** Replaces a user's password hash (the caller has checked the policy and the current password). */
export async function setPasswordHash(db: Queryable, userId: string, passwordHash: string): Promise<void> {
  await db.query('update users set password_hash = $2 where id = $1', [userId, passwordHash])
}
