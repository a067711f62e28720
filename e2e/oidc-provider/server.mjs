// A real OpenID provider for Hémicycle's tests, configured like ProConnect: authorization code flow, PKCE (S256),
// ID tokens and userinfo signed with RS256, the claims `email given_name usual_name siret uid`, each behind the
// scope of the same name. Test only: accounts are fixed, keys are made at start-up, nothing is stored.
//
// Environment (all optional):
//   OIDC_PORT            port on 127.0.0.1 (default 0: any free port)
//   OIDC_CLIENT_ID       the static client (default `hemicycle`)
//   OIDC_CLIENT_SECRET   its secret (default `hemicycle-test-secret`)
//   OIDC_REDIRECT_URI    its redirect URIs, separated by commas or spaces
//                        (default `http://127.0.0.1:3000/auth/oidc/callback`)
//   OIDC_EXIT_ON_STDIN_CLOSE=1  exit when stdin closes (a test harness that dies takes the provider with it)
//
// A second client, `${OIDC_CLIENT_ID}-plain` (same secret and redirect URIs), gets its userinfo as plain JSON, to
// check that a relying party which requires signed userinfo refuses it.
//
// Once listening, prints one line on stdout: `OIDC_PROVIDER_READY http://127.0.0.1:PORT` (the issuer).
//
// Logging in without a browser: GET the authorization URL (303 to /interaction/{uid}), then
// POST /interaction/{uid}/login with `login=marie.dupont` (form-encoded), keeping the cookies, and follow the
// redirects: consent is granted automatically, the last one goes to the redirect URI with `code` and `state`.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number.parseInt(process.env.OIDC_PORT ?? '0', 10);
const clientId = process.env.OIDC_CLIENT_ID || 'hemicycle';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'hemicycle-test-secret';
const redirectUris = (process.env.OIDC_REDIRECT_URI || 'http://127.0.0.1:3000/auth/oidc/callback')
  .split(/[\s,]+/)
  .filter(Boolean);

// Test accounts, keyed by login name (also their `sub`). The e-mail of Marie Dupont has capitals on purpose:
// the relying party must lowercase it.
const ACCOUNTS = {
  'marie.dupont': {
    email: 'Marie.Dupont@Mairie-Exemple.fr',
    email_verified: true,
    given_name: 'Marie',
    usual_name: 'Dupont',
    siret: '21750001600019',
    uid: 'marie-dupont-uid',
  },
  'paul.martin': {
    email: 'paul.martin@departement-exemple.fr',
    email_verified: true,
    given_name: 'Paul',
    usual_name: 'Martin',
    siret: '22750001500011',
    uid: 'paul-martin-uid',
  },
  'jean.nonverifie': {
    email: 'jean.nonverifie@exemple.fr',
    email_verified: false,
    given_name: 'Jean',
    usual_name: 'Nonvérifié',
    siret: '21750001600019',
    uid: 'jean-nonverifie-uid',
  },
};

const CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  given_name: ['given_name'],
  usual_name: ['usual_name'],
  siret: ['siret'],
  uid: ['uid'],
};

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, error) {
  const alert = error ? `<p role="alert">${escapeHtml(error)}</p>` : '';
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Fournisseur d'identité de test</title></head>
<body>
<main>
<h1>Fournisseur d'identité de test</h1>
${alert}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Identifiant</label>
<input id="login" name="login" autocomplete="username" required>
<button type="submit">Se connecter</button>
</form>
</main>
</body>
</html>`;
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

const server = createServer();

server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const clientBase = {
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  };

  const provider = new Provider(issuer, {
    clients: [
      { ...clientBase, client_id: clientId, userinfo_signed_response_alg: 'RS256' },
      { ...clientBase, client_id: `${clientId}-plain` },
    ],
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: CLAIMS,
    scopes: Object.keys(CLAIMS),
    // ProConnect authenticates clients with client_secret_post.
    clientAuthMethods: ['client_secret_post'],
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      userinfo: { enabled: true },
    },
    // PKCE is supported (S256 only, the library's rule) and not required, like ProConnect.
    pkce: { required: () => false },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const account = ACCOUNTS[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
    // First-party client: consent is granted without asking, for the scopes it requested.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope ?? 'openid');
      await grant.save();
      return grant;
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreur</title></head><body>
<main><h1>Erreur</h1><p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p></main></body></html>`;
    },
  });
  const callback = provider.callback();

  async function interaction(req, res, uid, isLogin) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, 'interaction mismatch');
    if (details.prompt.name !== 'login') {
      // Consent is handled by loadExistingGrant; any other prompt means the request was unusual.
      return send(res, 400, `unexpected prompt ${escapeHtml(details.prompt.name)}`);
    }
    if (!isLogin) return send(res, 200, loginPage(uid));
    const form = await readForm(req);
    const login = (form.get('login') ?? '').trim();
    if (!Object.hasOwn(ACCOUNTS, login)) return send(res, 401, loginPage(uid, 'Identifiant inconnu.'));
    return provider.interactionFinished(req, res, { login: { accountId: login } }, {
      mergeWithLastSubmission: false,
    });
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/);
    if (match) {
      const isLogin = Boolean(match[2]);
      if ((isLogin && req.method !== 'POST') || (!isLogin && req.method !== 'GET')) {
        return send(res, 405, 'method not allowed');
      }
      interaction(req, res, match[1], isLogin).catch((err) => {
        if (!res.headersSent) send(res, 400, escapeHtml(err.message));
      });
      return undefined;
    }
    return callback(req, res);
  });

  process.stdout.write(`OIDC_PROVIDER_READY ${issuer}\n`);
});

function stop() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.env.OIDC_EXIT_ON_STDIN_CLOSE === '1') {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}
