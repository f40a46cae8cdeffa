import { getWorkspace } from "@/server/accounts/get-workspace";
import { publicRoute } from "@/server/http/route";

export const GET = publicRoute(async () => {
  const { name, needsSetup } = await getWorkspace();
  return { name, needsSetup };
});
