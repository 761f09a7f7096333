import { z } from 'zod';

/** The params of a call that takes none: an empty object, and nothing else. */
export const NoParams = z.object({}).strict();
