// A real OpenID Connect provider for the tests (the npm package oidc-provider, its development login
// pages): node provider.mjs PORT REDIRECT_URI. Any login name signs in; the name "t1001" has the claims
// employee_number "T1001" and phone_number "13900001234" (upper-cased name, phone from its digits).
import Provider from "oidc-provider";

const [port, redirect] = process.argv.slice(2);
const configuration = {
  clients: [{
    client_id: "huodong",
    client_secret: "huodong-test-secret",
    redirect_uris: [redirect],
    grant_types: ["authorization_code"],
    response_types: ["code"],
  }],
  claims: { openid: ["sub"], profile: ["name", "employee_number"], phone: ["phone_number"] },
  async findAccount(ctx, id) {
    const digits = (id.match(/\d+/) || ["0"])[0];
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: `user ${id}`, employee_number: id.toUpperCase(),
                 phone_number: "1390000" + digits.padStart(4, "0").slice(-4) };
      },
    };
  },
  cookies: { keys: ["huodong-test-cookie-key"] },
  features: { devInteractions: { enabled: true } },
};
const provider = new Provider(`http://127.0.0.1:${port}`, configuration);
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
