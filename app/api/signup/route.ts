import { signUp } from "@/server/accounts/sign-up";
import { spendSignUpAttempt } from "@/server/auth/attempt-limits";
import { clientAddressOf } from "@/server/http/client-address";
import { publicRoute, readJson } from "@/server/http/route";

export const POST = publicRoute(
  async ({ request }) => {
    const address = clientAddressOf(request.headers);
    const user = await signUp(await readJson(request), {
      beforeCreating: ({ email }) => spendSignUpAttempt({ email, address }),
    });
    return { user };
  },
  { status: 201 },
);
