/**
 * The one error type the app's entry points know how to show. Library code throws a subclass; the edge
 * (command, view submit, action button) catches it and shows `i18nKey` translated with `params`.
 * The message is for logs and must never contain a password, key or plaintext.
 */
export class UserFacingError extends Error {
  constructor(
    /** Key in i18n/*.json of the sentence shown to the user. */
    public readonly i18nKey: string,
    message: string,
    /** Values substituted for `{name}` placeholders in the translated sentence. */
    public readonly params: Record<string, string | number> = {},
    options?: { cause?: unknown; userText?: readonly string[] },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.userText = options?.userText ?? [];
  }

  /** Names of `params` holding text a user typed or named (file names, durations): shown escaped, never as markup. */
  public readonly userText: readonly string[];
}

/**
 * `text` with the userinfo (`user:password@`) removed from every URL in it: admins sometimes put provider
 * credentials into the API URL, and URLs end up in error messages, answers and logs.
 */
export function withoutUserinfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1');
}
