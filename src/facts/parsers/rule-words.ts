/**
 * The argument vocabulary shared by iptables, arptables and firewalld direct rules. Two rules are
 * the same when they say the same thing, not when their text matches: the tools print rules in
 * their own order (`arptables-save` puts `-j` first), with their own spellings (`--destination` vs
 * `-d`, `1.2.3.4` vs `1.2.3.4/32`) and with implied matches (`-m tcp` after `-p tcp`). So a rule is
 * compared as the sorted list of its normalised option groups.
 */

/** Splits a saved rule line into words; iptables-save double-quotes words with spaces (comments). */
export function splitRuleWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let word = '';
    while (i < line.length && !/\s/.test(line[i])) {
      if (line[i] === '"') {
        i++;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < line.length) i++;
          word += line[i++];
        }
        i++;
      } else {
        word += line[i++];
      }
    }
    words.push(word);
  }
  return words;
}

/** One option with its values, e.g. `! -d 1.2.3.4/32` → { option: '-d', negated: true, values: [...] }. */
export interface OptionGroup {
  option: string;
  negated: boolean;
  values: string[];
}

const isOption = (w: string): boolean => w.startsWith('-') && w.length > 1 && !/^-\d/.test(w);

/** Groups words into options; `aliases` maps long spellings to the short ones the tools print. */
export function groupOptions(words: readonly string[], aliases: Readonly<Record<string, string>>): OptionGroup[] {
  const groups: OptionGroup[] = [];
  let negateNext = false;
  for (const w of words) {
    if (w === '!') {
      // `! -d x` negates the next option; the old `-d ! x` negates the current one.
      const last = groups.at(-1);
      if (last && last.values.length === 0) last.negated = true;
      else negateNext = true;
    } else if (isOption(w)) {
      groups.push({ option: aliases[w] ?? w, negated: negateNext, values: [] });
      negateNext = false;
    } else if (groups.length > 0) {
      groups.at(-1)!.values.push(w);
    } else {
      throw new Error(`rule starts with a value, not an option: ${words.join(' ')}`);
    }
  }
  return groups;
}

/** An address as `a.b.c.d/len` (an IPv6 one as `addr/128`), the one spelling every comparison uses. */
export function withPrefix(address: string): string {
  return address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;
}

/** The comparison key of a rule: its option groups, sorted, as text. */
export function canonicalKey(groups: readonly OptionGroup[]): string {
  return groups
    .map((g) => `${g.negated ? '! ' : ''}${g.option}${g.values.map((v) => ` ${v}`).join('')}`)
    .sort()
    .join(' ');
}

/** The value of the first group for `option`, if the rule has one. */
export function optionValue(groups: readonly OptionGroup[], option: string): string | undefined {
  return groups.find((g) => g.option === option && !g.negated)?.values[0];
}
