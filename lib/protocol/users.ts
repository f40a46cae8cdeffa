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

/** The longest edit window a workspace may set: a week. Longer is what "unlimited" (null) is for. */
export const MAX_EDIT_WINDOW_SECONDS = 7 * 24 * 60 * 60;

/** What an admin sets for the whole workspace. */
export const workspaceSettingsSchema = z.object({
  /** How long after sending a message its sender may edit it; null: always, 0: never. */
  messageEditWindowSeconds: z
    .number("Give the edit window in seconds, or null for no limit")
    .int("Give the edit window in whole seconds")
    .min(0, "The edit window cannot be negative")
    .max(MAX_EDIT_WINDOW_SECONDS, "The edit window can be at most a week; null means no limit")
    .nullable(),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export const updateWorkspaceSettingsInput = workspaceSettingsSchema
  .partial()
  .strict()
  .refine((s) => Object.keys(s).length > 0, "Give at least one setting to change");

/** The people picker: search by name or email. */
export const findPeopleInput = z.object({
  q: textSchema("Search").trim().max(100).default(""),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const directoryPersonSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
export type DirectoryPerson = z.infer<typeof directoryPersonSchema>;
