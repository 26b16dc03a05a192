import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';

/**
 * Rocket.Chat's persistence bridge removes by associations one match per call in some server versions and every
 * match in others. Removing until a read finds nothing is right under both. Bounded, in case a server answered
 * a removal without removing: after that many rounds the records are left and the caller carries on.
 */
const MAX_REMOVAL_ROUNDS = 50;

/** Removes every record that has all of `associations`, whichever removal the server implements. */
export async function removeEveryMatch(
  persistence: IPersistence,
  reader: IPersistenceRead,
  associations: RocketChatAssociationRecord[],
): Promise<void> {
  for (let round = 0; round < MAX_REMOVAL_ROUNDS; round++) {
    const removed = await persistence.removeByAssociations(associations);
    if (!removed || removed.length === 0 || (await reader.readByAssociations(associations)).length === 0) {
      return;
    }
  }
}

/**
 * Writes the one record of a logical key: every earlier record under `associations` goes first. Not an update:
 * Rocket.Chat does not implement the bridge's `update(id)`, and some versions fail to update an existing record.
 */
export async function replaceRecord(
  persistence: IPersistence,
  reader: IPersistenceRead,
  associations: RocketChatAssociationRecord[],
  record: object,
): Promise<void> {
  await removeEveryMatch(persistence, reader, associations);
  await persistence.createWithAssociations(record, associations);
}
