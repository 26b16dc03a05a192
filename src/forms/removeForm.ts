import type { RoomCall } from '../edge/Call';
import { KuboRpcClient } from '../ipfs/KuboRpcClient';
import { readConfig } from '../settings/config';
import { splitVersion } from '../sharing/access';
import { removeVersions } from '../sharing/lifecycle';
import { ownedFile } from '../sharing/shares';
import { ViewKind } from '../storage/ViewContextStorage';
import { markdownLiteral } from '../ui/format';
import { removeModal } from '../ui/sharingModals';
import { openView, type FormFlow, type Trigger } from './FormFlow';

/**
 * `/ipfs rm` and Remove… in the directory: asks "remove these versions?", only of the owner. `file` is a name
 * (all its versions), name@n or a CID (one version).
 */
export async function openRemoveForm(call: RoomCall, trigger: Trigger & { readonly file: string }): Promise<void> {
  const { user, t, files } = call;
  const typed = trigger.file.trim();
  const file = await ownedFile(files, user, typed);
  const wholeName = !splitVersion(typed).version && file.cid !== typed;
  const entries = wholeName ? await files.directory.versionsOf(user.id, file.name) : [file.entry];
  const versions = entries.map((entry) => `v${entry.version}`).join(', ');
  const description = t('remove_modal_text', { name: markdownLiteral(file.name), versions });
  const cids = entries.map((entry) => entry.cid);
  await openView(call, trigger, { kind: ViewKind.Remove, file: file.name, cids }, (viewId) =>
    removeModal(t, { appId: call.accessors.appId, viewId, description }),
  );
}

/** Confirmed: unpins and forgets the confirmed versions (those the user still owns) in the background. */
export const removeForm: FormFlow<ViewKind.Remove> = {
  kind: ViewKind.Remove,
  async decide({ accessors, user, room, t, chat, files }, context) {
    const owned = await files.directory.entriesOf(user.id);
    const entries = owned.filter((entry) => context.cids.includes(entry.cid));
    const config = await readConfig(accessors.read);
    const name = markdownLiteral(context.file);
    return {
      background: async () => {
        await removeVersions(files, accessors.modify, new KuboRpcClient(accessors.http, config.provider), entries);
        await chat.tell(user, room, t('remove_done', { name, count: entries.length }));
      },
      failure: (reason) => t('remove_failed', { name, reason }),
    };
  },
};
