import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { UIKitSurfaceType } from '@rocket.chat/apps-engine/definition/uikit';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { RoomCall } from '../edge/Call';
import { UserFacingError } from '../errors';
import { openView, type FormFlow, type Trigger } from '../forms/FormFlow';
import type { Translate } from '../i18n/translate';
import { extraField } from '../policy/facts';
import { ViewKind } from '../storage/ViewContextStorage';
import { contextNote, plain, textInput } from '../ui/blocks';
import { ActionId, BlockId, MIN_PASSWORD_LENGTH } from '../ui/ids';
import { inputValue, type ViewErrors } from '../ui/viewState';
import { RoomArchives } from './roomArchive';

/** Only a room's owners and moderators turn its archive on or off. */
export class NotRoomModeratorError extends UserFacingError {
  constructor() {
    super('archive_error_not_moderator', 'only owners and moderators of the room may change its archive');
  }
}

/** Only workspace administrators set the workspace's default archive password. */
export class NotWorkspaceAdminError extends UserFacingError {
  constructor() {
    super('archive_error_not_admin', 'only workspace administrators may set the default archive password');
  }
}

/**
 * Checks that `user` is a workspace administrator, by the roles the server has for that user id now (never the
 * user object a client's interaction carried).
 * @throws NotWorkspaceAdminError otherwise
 */
export async function assertWorkspaceAdmin(read: IRead, user: IUser): Promise<void> {
  const current = await read.getUserReader().getById(user.id);
  if (!current || !Array.isArray(current.roles) || !current.roles.includes('admin')) {
    throw new NotWorkspaceAdminError();
  }
}

/** An end-to-end encrypted room: the server only ever sees ciphertext, see docs/SECURITY.md. */
export class EncryptedRoomError extends UserFacingError {
  constructor() {
    super('archive_error_e2ee_room', 'end-to-end encrypted rooms are not archived');
  }
}

/**
 * Checks through the engine that `user` is an owner or moderator of `room` (Rocket.Chat's subscription roles).
 * @throws NotRoomModeratorError otherwise
 */
export async function assertRoomModerator(read: IRead, user: IUser, room: IRoom): Promise<void> {
  const rooms = read.getRoomReader();
  const [owners, moderators] = await Promise.all([
    rooms.getOwners(room.id).catch(() => []),
    rooms.getModerators(room.id).catch(() => []),
  ]);
  if (![...owners, ...moderators].some((member) => member?.id === user.id)) throw new NotRoomModeratorError();
}

/**
 * Opens the form asking for the archive password twice, saying what it protects: the room's own password, or with
 * `workspace` the workspace's default one (for rooms without their own in "every room" mode).
 */
export async function openArchiveForm(call: RoomCall, trigger: Trigger, workspace = false): Promise<void> {
  const { accessors, t, room } = call;
  if (!workspace && extraField(room, 'encrypted') === true) throw new EncryptedRoomError();
  await openView(call, trigger, { kind: ViewKind.Archive, workspace }, (viewId) => ({
    id: viewId,
    type: UIKitSurfaceType.MODAL,
    title: plain(t(workspace ? 'archive_default_modal_title' : 'archive_modal_title')),
    notifyOnClose: true,
    blocks: [
      contextNote(BlockId.Notice, t(workspace ? 'archive_default_modal_notice' : 'archive_modal_notice')),
      textInput({
        appId: accessors.appId,
        blockId: BlockId.Password,
        actionId: ActionId.Password,
        label: t('archive_password_label'),
        placeholder: t('password_placeholder'),
      }),
      textInput({
        appId: accessors.appId,
        blockId: BlockId.PasswordConfirm,
        actionId: ActionId.PasswordConfirm,
        label: t('password_confirm_label'),
      }),
    ],
    submit: plainButton(t('archive_modal_submit'), 'submit', accessors.appId),
    close: plainButton(t('cancel'), 'cancel', accessors.appId),
  }));
}

function plainButton(text: string, id: string, appId: string) {
  return { type: 'button' as const, text: plain(text), actionId: id, blockId: id, appId };
}

/** Checks the two passwords and the user's role again (it may have changed), then seals the password. */
export const archiveForm: FormFlow<ViewKind.Archive> = {
  kind: ViewKind.Archive,
  async decide({ accessors, user, room, t, chat }, context, state) {
    const password = inputValue(state, BlockId.Password, ActionId.Password);
    const confirmation = inputValue(state, BlockId.PasswordConfirm, ActionId.PasswordConfirm);
    const errors: ViewErrors = {};
    if (password.length < MIN_PASSWORD_LENGTH) {
      errors[ActionId.Password] = t('error_password_too_short', { min: MIN_PASSWORD_LENGTH });
    } else if (password !== confirmation) {
      errors[ActionId.PasswordConfirm] = t('error_password_mismatch');
    }
    if (Object.keys(errors).length > 0) return { errors };
    const { persistence, read } = accessors;
    const rooms = new RoomArchives(persistence, read.getPersistenceReader());
    if (context.workspace) {
      await assertWorkspaceAdmin(read, user);
      await rooms.setWorkspaceDefault(user.id, password);
      await chat.tell(user, room, t('archive_default_done'));
      return { done: true };
    }
    await assertRoomModerator(read, user, room);
    await rooms.enable(room.id, user.id, password);
    await chat.tell(user, room, t('archive_on_done'));
    return { done: true };
  },
};

/** The translated help line of `/ipfs archive`. */
export function archiveUsage(t: Translate): string {
  return t('archive_usage');
}
