import { z } from 'zod';
export { encodeCursor, decodeCursor, pageOf, type Page } from '../domain/paging.js';

/**
 * Cursor pagination over HTTP: the `limit`/`cursor` query and the page's schema. The cursor
 * itself (opaque token for the key of the last item, no OFFSET scans) is src/domain/paging.ts.
 */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(512).optional(),
});

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next_cursor: z.string().nullable() });
