/** True when a database error (or the driver error Drizzle wraps) is a unique-constraint violation. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const pg = e as Error & { code?: string; constraint?: string; constraint_name?: string };
    if (pg.code === "23505") {
      const name = pg.constraint_name ?? pg.constraint;
      return constraint === undefined || name === undefined || name === constraint;
    }
  }
  return false;
}
