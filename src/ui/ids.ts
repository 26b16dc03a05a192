import { randomBytes } from '../crypto/random';

/** Every block and action id the app's views use, in one place. */
export enum BlockId {
  File = 'ipfs_file_block',
  Password = 'ipfs_password_block',
  PasswordConfirm = 'ipfs_password_confirm_block',
  Cid = 'ipfs_cid_block',
  Notice = 'ipfs_notice_block',
  VersionOf = 'ipfs_version_of_block',
  ShareUser = 'ipfs_share_user_block',
  ShareDuration = 'ipfs_share_duration_block',
  DirectorySearch = 'ipfs_dir_search_block',
  DirectoryPager = 'ipfs_dir_pager_block',
}

export enum ActionId {
  File = 'ipfs_file',
  Password = 'ipfs_password',
  PasswordConfirm = 'ipfs_password_confirm',
  Cid = 'ipfs_cid',
  StoreMessageFile = 'ipfs_store_message_file',
  VersionOf = 'ipfs_version_of',
  ShareUser = 'ipfs_share_user',
  ShareDuration = 'ipfs_share_duration',
  DirectorySearch = 'ipfs_dir_search',
  DirectoryPage = 'ipfs_dir_page',
  DirectoryFileMenu = 'ipfs_dir_file_menu',
  DirectoryBack = 'ipfs_dir_back',
}

export const MIN_PASSWORD_LENGTH = 8;

/** A fresh view id; the kind prefix only helps reading logs, the context is looked up by the whole id. */
export function newViewId(kind: string): string {
  const bytes = randomBytes(12);
  return `ipfs-${kind}-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
