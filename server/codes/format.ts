/**
 * ICD-10-CM code spelling and search-text handling: pure functions shared by the importer (which
 * must not load the server's database client), the search and the history schemas. Codes are
 * stored without the dot.
 */

/** A letter, then 2–6 of [0-9A-Z]. FY2026 added codes whose second character is a letter (QA00101). */
export const ICD10_CODE = /^[A-Z][0-9A-Z]{2,6}$/;

/** "E119" → "E11.9"; three-character categories ("I10") have no dot. */
export const dottedCode = (code: string): string => (code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code);

/** "e11.9 " → "E119". Spelling only; whether the code exists is another question. */
export const normalizeCode = (value: string): string => value.trim().toUpperCase().replace(/[\s.]/g, "");

const MAX_WORDS = 8;

/**
 * Looks like (the start of) a code rather than words: a letter, then a digit in the second or
 * third place ("E1", "E11.9", "QA0" – FY2026 added letter-second codes). A lone letter counts too,
 * so typing "E", "E1", "E11" narrows steadily. Words like "flu" or "copd" have no early digit.
 */
export const isCodeShaped = (value: string): boolean => /^[A-Z](?:|\d[0-9A-Z]{0,5}|[A-Z]\d[0-9A-Z]{0,4})$/.test(normalizeCode(value));

/** Lower-case words without accents, as the 'simple' text-search parser sees them ("Sjögren's" → sjogren, s). */
export function searchWords(value: string): string[] {
  const plain = value.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();
  return (plain.match(/[a-z0-9]+/g) ?? []).slice(0, MAX_WORDS);
}
