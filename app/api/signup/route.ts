import { signUp } from "@/server/accounts/sign-up";
import { spendSignUpAttempt } from "@/server/auth/attempt-limits";
import { clientAddressOf } from "@/server/http/client-address";
import { publicRoute, readJson } from "@/server/http/route";

export const POST = publicRoute(
  async ({ request }) => {
    const input = await readJson(request);
    await spendSignUpAttempt({ email: emailOf(input), address: clientAddressOf(request.headers) });
    return { user: await signUp(input) };
  },
  { status: 201 },
);

function emailOf(input: unknown): string {
  return typeof input === "object" && input !== null && "email" in input && typeof input.email === "string"
    ? input.email
    : "";
}
