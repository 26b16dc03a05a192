import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { Chat } from '../chat/Chat';
import { translatorForUser } from '../i18n/translate';
import { runInBackground } from '../jobs/background';
import { runRevokeJob } from '../jobs/revokeJob';
import { readConfig } from '../settings/config';
import { FileAccess } from '../sharing/access';
import { ownedFile } from '../sharing/shares';
import { ViewContextStorage, ViewKind, type ViewContext } from '../storage/ViewContextStorage';
import { markdownLiteral } from '../ui/format';
import { ActionId, BlockId, MIN_PASSWORD_LENGTH } from '../ui/ids';
import { revokeModal } from '../ui/sharingModals';
import { inputValue, type ViewErrors, type ViewState } from '../ui/viewState';
import type { Accessors } from '../edge/Accessors';
import { openViewWithContext } from './openView';
import { describeError } from '../ui/describeError';

export interface RevokeOpening {
  readonly user: IUser;
  readonly room: IRoom;
  readonly triggerId: string;
  readonly file: string;
}

/** Asks for the password of the new version; only the owner gets that far. */
export async function openRevokeModal(accessors: Accessors, opening: RevokeOpening): Promise<void> {
  const { read, persistence } = accessors;
  const t = await translatorForUser(opening.user, read);
  const file = await ownedFile(new FileAccess(persistence, read.getPersistenceReader()), opening.user, opening.file);
  await openViewWithContext(accessors, opening, ViewKind.Revoke, { file: file.name }, (viewId) =>
    revokeModal(t, { appId: accessors.appId, viewId, name: file.name }),
  );
}

export async function submitRevoke(
  accessors: Accessors,
  user: IUser,
  viewId: string,
  context: ViewContext,
  state: ViewState,
): Promise<ViewErrors> {
  const { read, modify, persistence } = accessors;
  const t = await translatorForUser(user, read);
  const newPassword = inputValue(state, BlockId.Password, ActionId.Password);
  const confirmation = inputValue(state, BlockId.PasswordConfirm, ActionId.PasswordConfirm);
  if (newPassword.length < MIN_PASSWORD_LENGTH) {
    return { [ActionId.Password]: t('error_password_too_short', { min: MIN_PASSWORD_LENGTH }) };
  }
  if (newPassword !== confirmation) {
    return { [ActionId.PasswordConfirm]: t('error_password_mismatch') };
  }
  const room = await read.getRoomReader().getById(context.roomId);
  if (!room || !context.file) {
    return { [ActionId.Password]: t('error_room_gone') };
  }
  const config = await readConfig(read);
  await new ViewContextStorage(persistence, read.getPersistenceReader()).remove(viewId);
  const name = context.file;
  runInBackground(
    () => runRevokeJob(accessors, { user, room, name, newPassword, config, t }),
    (error) =>
      new Chat(read, modify).tell(
        user,
        room,
        t('revoke_failed', { name: markdownLiteral(name), reason: describeError(t, error) }),
      ),
  );
  return {};
}
