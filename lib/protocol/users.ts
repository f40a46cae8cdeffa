import { z } from "@/lib/zod";
import { basicPasswordProblem, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/password-rules";
import { textSchema } from "./text";

export const userSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: z.enum(["admin", "member"]),
});
export type User = z.infer<typeof userSchema>;

/** The strength estimate is checked after parsing, with passwordProblem: it is asynchronous. */
export const signUpInput = z
  .object({
    name: textSchema("Name").trim().min(1, "Enter your name").max(80),
    email: z.email("Enter a valid email address").max(254),
    password: textSchema("Password")
      .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(MAX_PASSWORD_LENGTH),
    /** Required only from the first person, who creates the workspace. */
    workspaceName: textSchema("Workspace name").trim().min(1).max(80).optional(),
  })
  .superRefine(({ password, email }, context) => {
    const problem = basicPasswordProblem(password, email);
    if (problem) context.addIssue({ code: "custom", path: ["password"], message: problem });
  });
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email: textSchema("Email").max(254),
  password: textSchema("Password").max(200),
});

export const workspaceSchema = z.object({
  name: z.string().nullable(),
  /** True until the first person signs up and names the workspace. */
  needsSetup: z.boolean(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

/** The people picker: search by name or email. */
export const findPeopleInput = z.object({
  q: textSchema("Search").trim().max(100).default(""),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const directoryPersonSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
export type DirectoryPerson = z.infer<typeof directoryPersonSchema>;
