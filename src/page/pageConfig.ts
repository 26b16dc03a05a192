/** What the page's HTML hands its script (a JSON script element: data, so the CSP lets it through). */
export interface PageConfig {
  /** The object to open. */
  readonly cid: string;
  /** The app's block endpoint (absolute path on this server). */
  readonly blockUrl: string;
  /** A public gateway the admin set: blocks come from there instead of the app (empty: from the app). */
  readonly gatewayUrl: string;
  /** The app's key endpoint when the link offers the file key (empty: the password is the only way). */
  readonly keyUrl: string;
  /** The page's sentences in the language the link was made for. */
  readonly strings: Record<string, string>;
}

/** i18n keys of everything the page shows (its HTML and its script). */
export const PAGE_STRING_KEYS = [
  'page_title',
  'page_intro',
  'page_privacy',
  'page_password_label',
  'page_open_button',
  'page_save_button',
  'page_save_cancelled',
  'page_fetching',
  'page_checking',
  'page_ready',
  'page_progress',
  'page_done',
  'page_wrong_password',
  'page_tampered',
  'page_corrupt',
  'page_link_refused',
  'page_failed',
  'page_key_privacy',
  'page_key_button',
  'page_key_fetching',
  'page_key_ready',
  'page_key_refused',
  'page_key_wrong',
  'page_password_or',
] as const;
