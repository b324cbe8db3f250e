/** Users of an organization (people who log in with e-mail and password). */
import { and, asc, eq } from "drizzle-orm";
import { newId } from "../shared/encoding";
import { database, isUniqueViolation } from "./db";
import { users, type Role } from "./schema";

export type User = typeof users.$inferSelect;
export type PublicUser = Omit<User, "passwordHash">;

export class EmailTakenError extends Error {}

export function publicUser(u: User): PublicUser {
  const { passwordHash: _hidden, ...rest } = u;
  return rest;
}

export async function createUser(
  db: D1Database,
  input: { orgId: string; email: string; passwordHash: string; role: Role },
): Promise<User> {
  try {
    const [row] = await database(db)
      .insert(users)
      .values({ id: newId("usr"), orgId: input.orgId, email: input.email.toLowerCase(), passwordHash: input.passwordHash, role: input.role })
      .returning();
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw new EmailTakenError(input.email);
    throw err;
  }
}

/** Login looks users up by e-mail across orgs (e-mails are unique platform-wide). */
export async function findUserByEmail(db: D1Database, email: string): Promise<User | null> {
  const [row] = await database(db).select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row ?? null;
}

export async function getUser(db: D1Database, orgId: string, userId: string): Promise<User | null> {
  const [row] = await database(db)
    .select()
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
    .limit(1);
  return row ?? null;
}

export async function listUsers(db: D1Database, orgId: string): Promise<User[]> {
  return database(db).select().from(users).where(eq(users.orgId, orgId)).orderBy(asc(users.createdAt), asc(users.id));
}
