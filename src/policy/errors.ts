import { UserFacingError, type Sentence } from '../errors';
import { UnreadableKind } from './facts';

/** Neither the user's direct messages with the app nor the room can take the file; nothing was downloaded. */
export class DeliveryBlockedError extends UserFacingError {
  constructor(reasons: { readonly dm: Sentence; readonly room: Sentence }) {
    super(
      'error_delivery_blocked',
      `workspace settings refuse both deliveries (${reasons.dm.key}, ${reasons.room.key})`,
      { dm: reasons.dm, room: reasons.room },
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
