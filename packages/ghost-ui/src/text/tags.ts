import { displayWidth } from './width.js';

/**
 * Text shown through blessed's tag markup (`{bold}`, `{red-fg}`) must not be read as markup:
 * a task named "{bold}" is shown as such. Same as blessed.escape, without loading blessed.
 */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (brace) => (brace === '{' ? '{open}' : '{close}'));
}

/** The cells blessed-tagged text takes on screen: tags take none, `{open}`/`{close}` one each. */
export function taggedWidth(tagged: string): number {
  return displayWidth(tagged.replace(/\{(open|close)\}/g, '.').replace(/\{\/?[a-z-]+\}/g, ''));
}
