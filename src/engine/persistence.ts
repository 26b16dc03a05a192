import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/**
 * How the app writes and removes records so that they come out right on every Rocket.Chat server. Its
 * persistence bridge (apps/meteor/app/apps/server/bridges/persistence.ts) differs between releases:
 * - `removeByAssociations` deletes every match (`deleteMany`) in some releases and one (`deleteOne`) in others,
 *   and returns every match either way: removing until a read finds none is right under both;
 * - `update(id)` throws `Not implemented.`: a record is only ever written by its associations;
 * - `updateByAssociations` matches the exact association list (order matters), and some releases answer an
 *   update of an existing record with `result.upsertedId.toString()`, which throws after the write.
 * Reads match records holding all given associations, in any order.
 */

/** More rounds than any real number of duplicates; past it the server is not removing anything. */
const MAX_REMOVAL_ROUNDS = 100;

/**
 * Removes every record holding all `associations`, whichever removal the server implements.
 * @throws Error when matches remain after many rounds (the server is not removing them).
 */
export async function removeEveryMatch(
  persistence: IPersistence,
  reader: IPersistenceRead,
  associations: RocketChatAssociationRecord[],
): Promise<void> {
  for (let round = 0; round < MAX_REMOVAL_ROUNDS; round++) {
    if ((await reader.readByAssociations(associations)).length === 0) {
      return;
    }
    await persistence.removeByAssociations(associations);
  }
  throw new Error('persistence kept records after repeated removals');
}

/**
 * Writes the one record of a logical key: `associations` are that key, always in the same order (an update
 * matches the exact list). An upsert, so a repeated or concurrent write leaves one record; duplicates left by
 * earlier versions of the app are removed first. A throw after the write counts as success when the record
 * now holds `data`.
 * @throws the bridge's error when the record does not hold `data` afterwards.
 */
export async function putOne(
  persistence: IPersistence,
  reader: IPersistenceRead,
  associations: RocketChatAssociationRecord[],
  data: object,
): Promise<void> {
  if ((await reader.readByAssociations(associations)).length > 1) {
    await removeEveryMatch(persistence, reader, associations);
  }
  try {
    await persistence.updateByAssociations(associations, data, true);
  } catch (error) {
    const wanted = comparable(data);
    const stored = await reader.readByAssociations(associations);
    if (!stored.some((record) => comparable(record) === wanted)) {
      throw error;
    }
  }
}

/** One record per value of `keyOf`, the first of each kept: reads stay right if a duplicate slipped in. */
export function uniqueBy<T>(records: readonly T[], keyOf: (record: T) => string): T[] {
  const seen = new Set<string>();
  return records.filter((record) => {
    const key = keyOf(record);
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** A record as JSON without empty fields: an `undefined` field written comes back as `null` or not at all. */
function comparable(record: object): string {
  return JSON.stringify(record, (_key, value: unknown) => (value === null ? undefined : value));
}
