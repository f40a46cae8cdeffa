import { z } from "@/lib/zod";

/**
 * Every free-text field the server accepts starts from this schema. Text that
 * is not well-formed Unicode (a lone UTF-16 surrogate) has no UTF-8 form:
 * PostgreSQL would store it altered and PGlite fails the statement, with every
 * other row of its batch. PostgreSQL text cannot hold U+0000 at all.
 */
export function textSchema(field: string) {
  return (
    z
      // Only for the wrong type: the error option would otherwise replace the messages of .max() and the like.
      .string({ error: (issue) => (issue.code === "invalid_type" ? `${field} must be text` : undefined) })
      .refine((text) => text.isWellFormed(), `${field} contains an invalid character (an unpaired UTF-16 surrogate)`)
      .refine((text) => !text.includes("\u0000"), `${field} cannot contain the NUL character`)
  );
}
