import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';

/** Usernames of the people behind user ids (owners, recipients), each read once per instance. */
export class Usernames {
  private readonly known = new Map<string, Promise<string>>();

  constructor(private readonly read: IRead) {}

  /** The user's username, or "?" for a user who no longer exists. */
  public of(userId: string): Promise<string> {
    let name = this.known.get(userId);
    if (!name) {
      name = this.read
        .getUserReader()
        .getById(userId)
        .then((user) => user?.username ?? '?');
      this.known.set(userId, name);
    }
    return name;
  }
}
