import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { createPgPool } from './adapters/postgres.ts';
import { saveUserWithPassword } from './auth/save-user.ts';
import { MIN_PASSWORD_LENGTH, ROLES, type Role, USER_NAME, USER_NAME_RULE } from './auth/user-rules.ts';
import { loadConfig } from './config.ts';
import { exitWith } from './fatal.ts';
import { migrateStore } from './store/migrate.ts';
import { createUserStore } from './store/user-store.ts';

// `npm run add-user -- <name> <viewer|operator|admin>`: creates a user in Recon's database, or sets an existing
// user's role and password. The password comes from RECON_NEW_USER_PASSWORD, else from a prompt that does not echo
// it, else from the first line of standard input (for scripts): never from the command line, where `ps` shows it.

const USAGE = `usage: npm run add-user -- <name> <${ROLES.join('|')}>
  the password is read from RECON_NEW_USER_PASSWORD, or asked for (at least ${MIN_PASSWORD_LENGTH} characters)`;

async function main() {
  const [name, role] = process.argv.slice(2);
  if (!name || !role) fail(USAGE);
  if (!USER_NAME.test(name)) fail(`user name "${name}": ${USER_NAME_RULE}`);
  if (!(ROLES as readonly string[]).includes(role)) fail(`role "${role}": one of ${ROLES.join(', ')}`);
  const password = process.env.RECON_NEW_USER_PASSWORD ?? (await readPassword(`password for ${name}: `));
  if (password.length < MIN_PASSWORD_LENGTH) fail(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);

  const config = loadConfig(process.env);
  const pool = createPgPool(config.reconDatabaseUrl, { applicationName: 'recon-add-user', max: 1 });
  try {
    await migrateStore(pool);
    const users = createUserStore(pool);
    const change = await saveUserWithPassword(
      users,
      { name, role: role as Role, password },
      { actor: 'cli:add-user', role: 'system' },
    );
    const ended = change.sessionsEnded > 0 ? `; ${change.sessionsEnded} open session(s) ended` : '';
    console.log(`${change.oldRole === null ? 'created' : 'updated'} user ${name} (${role})${ended}`);
  } finally {
    await pool.end();
  }
}

async function readPassword(prompt: string): Promise<string> {
  // A muted output stream: the prompt is written, the typed characters are not.
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  try {
    const answer = rl.question(prompt);
    muted = true;
    return (await answer).trim();
  } finally {
    rl.close();
    if (process.stdin.isTTY) process.stdout.write('\n');
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main().catch(exitWith('adding the user failed'));
