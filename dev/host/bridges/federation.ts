/* eslint-disable @typescript-eslint/require-await -- in-memory implementations of the engine's async interfaces */
import { generateKeyPairSync } from 'node:crypto';
import type { IInternalFederationBridge } from '@rocket.chat/apps-engine/server/bridges/IInternalFederationBridge';

let keys: { publicKey: string; privateKey: string } | undefined;

/** The workspace key pair the engine signs installed apps with (AppSignatureManager); one per process. */
export class HostInternalFederationBridge implements IInternalFederationBridge {
  private keys() {
    keys ??= generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    return keys;
  }
  async getPrivateKey(): Promise<string> {
    return this.keys().privateKey;
  }
  async getPublicKey(): Promise<string> {
    return this.keys().publicKey;
  }
}
