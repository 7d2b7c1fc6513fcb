// npm run user -- <command>: accounts, for administrators on the server.
//   add <email> --role viewer|analyst|steward|admin [--name "Full Name"] [--only-if-no-users]
//   list
//   disable <email>
//   reset-password <email>
//   token <email> [--label TEXT]      make an API token (shown once)
//   token --revoke <id>               revoke an API token
//   token --list                      list API tokens
// Passwords are generated (20 characters) and shown once; none is ever a default.
// Exit codes: 0 done, 1 refused (e.g. unknown user), 2 usage error.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { openStore } from '@/db/open';
import { StoreOpenError, type Store } from '@/db/store';
import { insertAudit } from '@/lib/auth/audit';
import { isRole, ROLE_WORDS, ROLES } from '@/lib/auth/roles';
import { hashPassword, randomPassword } from '@/lib/auth/secrets';
import { countUsers, createApiToken, disableUser, findUserByEmail, insertUser, listApiTokens, listUsers, revokeApiToken, setPassword, UserError } from '@/lib/auth/accounts';
import { sessionLimits } from '@/lib/auth/authenticate';
import { formatInstant } from '@/lib/instant';

const USAGE = `usage: npm run user -- add <email> --role ${ROLES.join('|')} [--name NAME] [--only-if-no-users]
       npm run user -- list
       npm run user -- disable <email>
       npm run user -- reset-password <email>
       npm run user -- token <email> [--label TEXT] | token --revoke <id> | token --list`;

class Usage extends Error {}
/** The command line waits this long for a database busy with an import. */
const WAIT_MS = 30_000;
const actor = `cli:${os.userInfo().username}`;

async function userOf(store: Store, email: string | undefined) {
  if (!email) throw new Usage('give the e-mail address of the user');
  const user = await findUserByEmail(store, email);
  if (!user) throw new UserError(`there is no user with the e-mail address ${email.trim().toLowerCase()}`);
  return user;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      label: { type: 'string' },
      revoke: { type: 'string' },
      list: { type: 'boolean' },
      'only-if-no-users': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, email] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const store = openStore();
  const now = Date.now();
  try {
    switch (command) {
      case 'add': {
        if (!values.role || !isRole(values.role)) throw new Usage(`--role must be one of ${ROLES.join(', ')}`);
        if (!email) throw new Usage('give the e-mail address of the new user');
        if (values['only-if-no-users'] && (await countUsers(store)) > 0) {
          console.log('Users exist already: no user added.');
          return 0;
        }
        const role = values.role;
        const password = randomPassword();
        const passwordHash = await hashPassword(password);
        await store.write(async (tx) => {
          await insertUser(tx, { email, name: values.name ?? '', role, passwordHash }, now);
          await insertAudit(tx, { actor, action: 'user_add', outcome: 'allowed', target: email.trim().toLowerCase(), detail: `role ${role}`, at: now });
        }, { waitMs: WAIT_MS });
        console.log(`Added ${email.trim().toLowerCase()} as ${ROLE_WORDS[role]}.`);
        console.log(`Password (shown only now; the user signs in with it): ${password}`);
        return 0;
      }
      case 'list': {
        const users = await listUsers(store, now, sessionLimits());
        if (users.length === 0) console.log('No users yet: add one with npm run user -- add <email> --role admin');
        for (const u of users)
          console.log(
            `${u.email}\t${u.role}\t${u.disabled_at === null ? 'active' : `disabled ${formatInstant(u.disabled_at)}`}\t${u.active_sessions} session(s)\t${u.api_tokens} token(s)\t${u.name}`,
          );
        return 0;
      }
      case 'disable': {
        const user = await userOf(store, email);
        const ended = await store.write(async (tx) => {
          const r = await disableUser(tx, user.id, now);
          await insertAudit(tx, { actor, action: 'user_disable', outcome: 'allowed', target: user.email, detail: `${r.sessionsEnded} sessions ended, ${r.tokensRevoked} API tokens revoked`, at: now });
          return r;
        }, { waitMs: WAIT_MS });
        console.log(`Disabled ${user.email}: ${ended.sessionsEnded} session(s) ended, ${ended.tokensRevoked} API token(s) revoked.`);
        return 0;
      }
      case 'reset-password': {
        const user = await userOf(store, email);
        const password = randomPassword();
        const passwordHash = await hashPassword(password);
        const ended = await store.write(async (tx) => {
          const n = await setPassword(tx, user.id, passwordHash, now);
          await insertAudit(tx, { actor, action: 'password_reset', outcome: 'allowed', target: user.email, detail: `${n.sessionsEnded} sessions ended, ${n.tokensRevoked} API tokens revoked`, at: now });
          return n;
        }, { waitMs: WAIT_MS });
        console.log(`New password for ${user.email} (shown only now): ${password}`);
        console.log(`${ended.sessionsEnded} session(s) of theirs ended; ${ended.tokensRevoked} API token(s) revoked.`);
        return 0;
      }
      case 'token': {
        if (values.list) {
          for (const t of await listApiTokens(store))
            console.log(`${t.id}\t${t.email}\t${t.revoked_at === null ? 'in use' : `revoked ${formatInstant(t.revoked_at)}`}\tlast used ${t.last_used_at === null ? 'never' : formatInstant(t.last_used_at)}\t${t.label}`);
          return 0;
        }
        if (values.revoke !== undefined) {
          if (!/^[1-9]\d*$/.test(values.revoke)) throw new Usage('--revoke takes the number of the token (see token --list)');
          const id = Number(values.revoke);
          const revoked = await store.write(async (tx) => {
            const ok = await revokeApiToken(tx, id, now);
            if (ok) await insertAudit(tx, { actor, action: 'token_revoke', outcome: 'allowed', target: `API token ${id}`, at: now });
            return ok;
          }, { waitMs: WAIT_MS });
          if (!revoked) throw new UserError(`there is no API token ${id} in use`);
          console.log(`API token ${id} revoked.`);
          return 0;
        }
        const user = await userOf(store, email);
        if (user.disabled_at !== null) throw new UserError(`${user.email} is disabled`);
        const label = values.label?.trim() || 'script';
        const token = await store.write(async (tx) => {
          const t = await createApiToken(tx, user.id, label, now);
          await insertAudit(tx, { actor, action: 'token_create', outcome: 'allowed', target: user.email, detail: `API token ${t.id} (${label})`, at: now });
          return t;
        }, { waitMs: WAIT_MS });
        console.log(`API token ${token.id} for ${user.email} (${user.role}), shown only now:`);
        console.log(token.token);
        console.log('Send it as the header  Authorization: Bearer <token>');
        return 0;
      }
      default:
        throw new Usage(`unknown command '${command}'`);
    }
  } finally {
    await store.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    if (err instanceof Usage || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(err as Error).message}\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof UserError || err instanceof StoreOpenError) {
      console.error(err.message);
      process.exitCode = 1;
    } else throw err;
  },
);
