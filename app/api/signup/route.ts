import { signUp } from "@/server/accounts/sign-up";
import { publicRoute, readJson } from "@/server/http/route";

export const POST = publicRoute(async ({ request }) => ({ user: await signUp(await readJson(request)) }), {
  status: 201,
});
