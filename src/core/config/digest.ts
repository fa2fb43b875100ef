/** Which text of azure.yaml a run read, as a short digest: the run's log and the editor compare it. */
import { createHash } from 'node:crypto';

/** sha256 of the text, first 12 hex digits. */
export const configDigest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);
