import type { Language, Translate } from '../i18n/translate';
import { PAGE_STRING_KEYS, type PageConfig } from './pageConfig';

/** Text for HTML content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a `<script type="application/json">`: `<` escaped so no `</script>` can close it early. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f7f8fa;color:#1f2329}
main{max-width:34rem;margin:3rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
code{word-break:break-all;font-size:.85em}.note{font-size:.9em;color:#4a5260;border-left:3px solid #1d74f5;padding-left:.75rem}
label{display:block;margin:1rem 0 .25rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
button{margin-top:1rem;padding:.5rem 1.25rem;font:inherit;background:#1d74f5;color:#fff;border:0;border-radius:4px}
progress{width:100%;margin-top:1rem}[data-state=error]{color:#d40c26;font-weight:600}`;

/**
 * The way without the password, for a link that offers the file key: what the server sees on it stands beside
 * the button, as what it sees on the password's way stands beside the field.
 */
function keyOffer(t: Translate, offered: boolean): string {
  return `<section id="key-offer"${offered ? '' : ' hidden'}>
<p class="note" id="key-privacy">${escapeHtml(t('page_key_privacy'))}</p>
<button id="use-key" type="button">${escapeHtml(t('page_key_button'))}</button>
<p id="password-or">${escapeHtml(t('page_password_or'))}</p>
</section>
`;
}

/**
 * The page that opens one stored object in the browser. Rocket.Chat's CSP forbids inline script, so the logic
 * comes from the app's `open.js` endpoint and the data from a JSON script element (which is not executed).
 */
export function renderPage(language: Language, t: Translate, config: Omit<PageConfig, 'strings'>): string {
  const strings = Object.fromEntries(PAGE_STRING_KEYS.map((key) => [key, t(key)]));
  const page: PageConfig = { ...config, strings };
  return `<!doctype html>
<html lang="${escapeHtml(language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(t('page_title'))}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(t('page_title'))}</h1>
<p>${escapeHtml(t('page_intro'))}<br><code id="cid">${escapeHtml(config.cid)}</code></p>
${keyOffer(t, config.keyUrl !== '')}<p class="note" id="privacy">${escapeHtml(t('page_privacy'))}</p>
<form id="unlock" autocomplete="off">
<label for="password">${escapeHtml(t('page_password_label'))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">${escapeHtml(t('page_open_button'))}</button>
</form>
<button id="save" type="button" hidden>${escapeHtml(t('page_save_button'))}</button>
<progress id="progress" max="1" value="0" hidden></progress>
<p id="status" role="status" aria-live="polite"></p>
</main>
<script type="application/json" id="page-config">${embeddedJson(page)}</script>
<script src="open.js"></script>
</body></html>`;
}
