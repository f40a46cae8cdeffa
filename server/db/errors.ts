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

/**
 * Classes of SQLSTATE that say the connection or the server is in trouble,
 * whatever the statement held: connection exceptions, insufficient resources,
 * operator intervention, system and internal errors.
 */
const SERVER_TROUBLE = new Set(["08", "53", "57", "58", "XX"]);

/**
 * True when the database refused this statement for what it held (bad data, a
 * constraint, a trigger): running its rows apart may store the others. Errors
 * without a SQLSTATE come from the driver (connection lost, timeout).
 */
export function isStatementError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return !SERVER_TROUBLE.has(code.slice(0, 2));
  }
  return false;
}
