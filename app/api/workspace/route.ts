import { getWorkspace } from "@/server/accounts/get-workspace";
import { publicRoute } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = publicRoute(() => getWorkspace());
