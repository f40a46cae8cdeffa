import { userRoute } from "@/server/http/route";
import { listThreads } from "@/server/threads/list-threads";

export const GET = userRoute(({ user }) => listThreads(user, {}));
