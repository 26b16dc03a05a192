import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import de from '../../i18n/de.json';
import en from '../../i18n/en.json';
import es from '../../i18n/es.json';
import ptBR from '../../i18n/pt-BR.json';

/** The same files Rocket.Chat reads for the admin page are bundled here for the app's own messages. */
const CATALOGS: Record<Language, Record<string, string>> = { en, 'pt-BR': ptBR, de, es };

export type Language = 'en' | 'pt-BR' | 'de' | 'es';
export const LANGUAGES: Language[] = ['en', 'pt-BR', 'de', 'es'];

/** Maps a Rocket.Chat language tag (`pt-BR`, `pt`, `de-AT`, `es_ES`…) to a language the app speaks. */
export function pickLanguage(tag: unknown): Language | undefined {
  if (typeof tag !== 'string' || !tag) {
    return undefined;
  }
  const primary = tag.toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((language) => language.toLowerCase().split('-')[0] === primary);
}

/** The user's own language, else the workspace's, else English. */
export async function languageFor(user: IUser, read: IRead): Promise<Language> {
  const own = pickLanguage(user.settings?.preferences?.language);
  if (own) {
    return own;
  }
  try {
    const workspace = (await read.getEnvironmentReader().getServerSettings().getValueById('Language')) as unknown;
    return pickLanguage(workspace) ?? 'en';
  } catch {
    return 'en';
  }
}

/** The sentence for `key` with `{name}` placeholders filled; English when a translation is missing. */
export function translate(language: Language, key: string, params: Record<string, string | number> = {}): string {
  const template = CATALOGS[language][key] ?? CATALOGS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A translate function bound to one language, handed to views and messages. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translatorFor(language: Language): Translate {
  return (key, params) => translate(language, key, params);
}

export async function translatorForUser(user: IUser, read: IRead): Promise<Translate> {
  return translatorFor(await languageFor(user, read));
}
