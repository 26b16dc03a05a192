import { UserFacingError } from '../errors';
import type { Sentence } from './rules';
import { UnreadableKind } from './facts';

/**
 * A refusal whose sentence embeds other sentences (each with its own placeholders), such as one reason per
 * delivery target. `describeError` translates the inner sentences first and fills them into the outer one.
 */
export class PolicyRefusedError extends UserFacingError {
  constructor(
    i18nKey: string,
    message: string,
    public readonly sentences: Record<string, Sentence>,
  ) {
    super(i18nKey, message);
  }
}

/** Neither the user's direct messages with the app nor the room can take the file; nothing was downloaded. */
export class DeliveryBlockedError extends PolicyRefusedError {
  constructor(reasons: { readonly dm: Sentence; readonly room: Sentence }) {
    super(
      'error_delivery_blocked',
      `workspace settings refuse both deliveries (${reasons.dm.key}, ${reasons.room.key})`,
      {
        dm: reasons.dm,
        room: reasons.room,
      },
    );
  }
}

/** An upload the app cannot read: a federated file (reading never returns) or an end-to-end encrypted one. */
export class UnreadableUploadError extends UserFacingError {
  constructor(public readonly kind: UnreadableKind) {
    super(
      kind === UnreadableKind.Federated ? 'error_upload_federated' : 'error_upload_encrypted',
      `the upload is ${kind} and cannot be read by the app`,
    );
  }
}
