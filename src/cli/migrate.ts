import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { installCatalogue } from '../services/catalogue.js';
import { join } from 'node:path';

// `npm run migrate`: apply pending migrations to DATABASE_URL, or to the embedded database, and install the indicator catalogue.
const config = loadConfig();
const database = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: config.DATABASE_URL ? null : join(config.DATA_DIR, 'pglite'),
});
try {
  const applied = await migrateToLatest(database.db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
  // The indicator catalogue is installed on every start as well; doing it here too leaves a migrated database complete.
  const catalogue = await installCatalogue(database.db);
  console.log(`indicator catalogue v${catalogue.version}: ${catalogue.installed.length} entries installed, ${catalogue.kept.length} kept as they were`);
} finally {
  await database.close();
}
