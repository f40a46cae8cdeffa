import { decideWorkspace, type Actor, type WorkspaceAction } from "@/lib/policy/rules";
import { AppError } from "@/server/errors";

/** Throws the refusal the rules give for something that concerns the whole workspace. */
export function authorizeWorkspace(user: Actor, action: WorkspaceAction): void {
  const decision = decideWorkspace(user, action);
  if (!decision.allowed) throw new AppError(decision.code, decision.message);
}
