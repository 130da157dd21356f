import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { generateApiKey, ROLES, type Role } from '../auth/api-key.js';
import { ApiKeyRepository } from '../repositories/api-keys.js';
import { recordAudit } from '../services/audit.js';

/**
 * `npm run create-key -- --role admin --name "ops"`: creates an API key directly in the
 * database (bootstrap, or recovery when no admin key is left) and prints it once.
 * `--print-only` just generates a key (e.g. for ADMIN_BOOTSTRAP_KEY) without storing it.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'admin' },
    name: { type: 'string', default: 'created from the command line' },
    institution: { type: 'string' },
    'print-only': { type: 'boolean', default: false },
  },
});
const role = values.role as Role;
if (!ROLES.includes(role)) {
  console.error(`--role must be one of ${ROLES.join(', ')}`);
  process.exit(2);
}
const key = generateApiKey();
if (values['print-only']) {
  console.log(key.key);
  process.exit(0);
}
if (role === 'institution' && !values.institution) {
  console.error('--institution <id> is required for an institution key');
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: config.DATABASE_URL ? null : join(config.DATA_DIR, 'pglite'),
});
try {
  await migrateToLatest(database.db);
  await database.db.transaction().execute(async (trx) => {
    await new ApiKeyRepository(trx).insert(trx, {
      id: key.id,
      name: values.name!,
      role,
      secretHash: key.secretHash,
      institutionId: values.institution ?? null,
      scope: role === 'integration' ? { kinds: null, institutions: null, enrolments: false } : null,
      createdBy: null,
    });
    await recordAudit(trx, null, 'api_key.create.cli', { type: 'api_key', id: key.id }, { role });
  });
  // Printed once, to stdout only (never logged).
  console.log(key.key);
} finally {
  await database.close();
}
