import { generateApiKey } from '../../src/auth/api-key.js';
import type { Principal } from '../../src/auth/principal.js';
import type { AppContext } from '../../src/context.js';

/** Stores a new admin API key in `ctx`'s database and returns it as the principal services take. */
export async function adminActor(ctx: AppContext): Promise<Principal> {
  const key = generateApiKey();
  await ctx.apiKeys.insert(ctx.db, {
    id: key.id,
    name: 'test',
    role: 'admin',
    secretHash: key.secretHash,
    institutionId: null,
    scope: null,
    createdBy: null,
  });
  return { keyId: key.id, role: 'admin', institutionId: null, scope: null };
}
