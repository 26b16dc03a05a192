import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { putOne } from '../engine/persistence';

/**
 * How uploads reach a provider, as learned from its refusals: block by block (`block/put`), one leaf per
 * `dag/import` when it caps request bodies below a block plus framing (js-ipfs), or the whole object in one `add`
 * when it has neither block call.
 */
export enum UploadPath {
  Blocks = 'blocks',
  DagImport = 'dag-import',
  SingleAdd = 'single-add',
}

/** What the app remembers about providers, by API URL, so later uploads do not repeat the first one's refusals. */
export interface ProviderTraits {
  uploadPathOf(apiUrl: string): Promise<UploadPath>;
  remember(apiUrl: string, path: UploadPath): Promise<void>;
}

const KIND = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'ipfs-provider-traits');

interface TraitsRecord {
  readonly uploadPath: UploadPath;
}

/**
 * Kept in persistence, not in the process's memory: a Rocket.Chat cluster runs one app process per server
 * instance, and a restart of the process would forget it. Keyed by a hash of the API URL: an admin may have put
 * credentials into the URL, and they stay in the settings only.
 */
export class ProviderTraitsStorage implements ProviderTraits {
  constructor(
    private readonly persistence: IPersistence,
    private readonly reader: IPersistenceRead,
  ) {}

  public async uploadPathOf(apiUrl: string): Promise<UploadPath> {
    const [record] = (await this.reader.readByAssociations(associations(apiUrl))) as TraitsRecord[];
    return record?.uploadPath ?? UploadPath.Blocks;
  }

  public async remember(apiUrl: string, uploadPath: UploadPath): Promise<void> {
    if ((await this.uploadPathOf(apiUrl)) !== uploadPath) {
      await putOne(this.persistence, this.reader, associations(apiUrl), { uploadPath });
    }
  }
}

function associations(apiUrl: string): RocketChatAssociationRecord[] {
  const urlHash = bytesToHex(sha256(utf8ToBytes(apiUrl)));
  return [KIND, new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `provider:${urlHash}`)];
}
