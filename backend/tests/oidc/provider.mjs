// A real OpenID Connect provider for Kyros's tests: the certified `oidc-provider`
// package from npm (installed by scripts/lib.sh into .tools/oidc), on a loopback port.
//
// Environment:
//   OIDC_PROVIDER_MODULE  path of oidc-provider's lib/index.js
//   OIDC_PORT             the port (issuer http://127.0.0.1:<port>)
//   OIDC_CLIENTS          JSON array of client metadata (client_id, client_secret,
//                         redirect_uris, id_token_signed_response_alg, …)
//   OIDC_ACCOUNTS         JSON object: login → { email, email_verified, name }
//
// Signing keys (RSA 2048 and EC P-256) are generated at start; the first stdout line is
// `READY {json}` with the issuer and the PEMs of those keys and of one key the provider
// does not publish, so tests can forge tokens the provider never issued.
// Sign-in uses the package's development interactions (a login form); consent is
// granted automatically for these first-party test clients.
import { generateKeyPairSync } from 'node:crypto';

const { default: Provider } = await import(process.env.OIDC_PROVIDER_MODULE);
const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS);

function keyPair(type, options, kid, alg) {
  const { privateKey } = generateKeyPairSync(type, options);
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  return { jwk, pem };
}

const rsa = keyPair('rsa', { modulusLength: 2048 }, 'test-rsa', 'RS256');
const ec = keyPair('ec', { namedCurve: 'P-256' }, 'test-ec', 'ES256');
const untrusted = keyPair('rsa', { modulusLength: 2048 }, 'not-published', 'RS256');

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [rsa.jwk, ec.jwk] },
  cookies: { keys: ['kyros-test-oidc-cookie-key'] },
  pkce: { required: () => true },
  claims: { email: ['email', 'email_verified'], profile: ['name'] },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: `sub-${id}`, email: account.email, email_verified: account.email_verified, name: account.name };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(
    `READY ${JSON.stringify({ issuer, rsa_kid: 'test-rsa', rsa_pem: rsa.pem, ec_kid: 'test-ec', ec_pem: ec.pem, untrusted_pem: untrusted.pem })}\n`,
  );
});
