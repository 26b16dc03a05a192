import type { RoomCall } from '../edge/Call';
import { runRevokeJob } from '../jobs/revokeJob';
import { readConfig } from '../settings/config';
import { ownedFile } from '../sharing/shares';
import { ViewKind } from '../storage/ViewContextStorage';
import { markdownLiteral } from '../ui/format';
import { ActionId, BlockId, MIN_PASSWORD_LENGTH } from '../ui/ids';
import { revokeModal } from '../ui/sharingModals';
import { inputValue } from '../ui/viewState';
import { openView, type FormFlow, type Trigger } from './FormFlow';

/** `/ipfs revoke <name>`: asks for the password of the new version; only the owner gets that far. */
export async function openRevokeForm(call: RoomCall, trigger: Trigger & { readonly file: string }): Promise<void> {
  const file = await ownedFile(call.files, call.user, trigger.file);
  await openView(call, trigger, { kind: ViewKind.Revoke, file: file.name }, (viewId) =>
    revokeModal(call.t, { appId: call.accessors.appId, viewId, name: file.name }),
  );
}

/** A good new password starts the revocation, which reports in the user's DM with the app. */
export const revokeForm: FormFlow<ViewKind.Revoke> = {
  kind: ViewKind.Revoke,
  async decide({ accessors, user, room, t }, context, state) {
    const newPassword = inputValue(state, BlockId.Password, ActionId.Password);
    const confirmation = inputValue(state, BlockId.PasswordConfirm, ActionId.PasswordConfirm);
    if (newPassword.length < MIN_PASSWORD_LENGTH) {
      return { errors: { [ActionId.Password]: t('error_password_too_short', { min: MIN_PASSWORD_LENGTH }) } };
    }
    if (newPassword !== confirmation) {
      return { errors: { [ActionId.PasswordConfirm]: t('error_password_mismatch') } };
    }
    const config = await readConfig(accessors.read);
    const name = context.file;
    return {
      background: () => runRevokeJob(accessors, { user, room, name, newPassword, config, t }),
      failure: (reason) => t('revoke_failed', { name: markdownLiteral(name), reason }),
    };
  },
};
