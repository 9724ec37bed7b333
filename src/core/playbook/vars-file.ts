/** A file of variables (vars_files, a role's vars/ and defaults/): a YAML mapping of names to values. */
import { isMap } from 'yaml';
import { UserError, type ProblemList, type SourcePos } from '../errors.ts';
import { loadYamlFile } from '../yaml-source.ts';
import { checkAccessVars } from './access-keywords.ts';
import { describe } from './yaml-read.ts';

/** The file's variables, or undefined with its problems recorded; `at` names the line that referenced it. */
export function readVarsFile(problems: ProblemList, file: string, at?: SourcePos): Record<string, unknown> | undefined {
  try {
    const src = loadYamlFile(file, at);
    const contents = src.doc.contents;
    if (contents !== null && !isMap(contents)) {
      problems.add({ pos: src.posOf(contents), message: `a vars file must be a mapping of names to values, not ${describe(contents)}`, hint: 'write name: value lines' });
      return undefined;
    }
    const vars = (src.doc.toJS() ?? {}) as Record<string, unknown>;
    if (contents !== null) checkAccessVars({ src, problems }, contents, vars);
    return vars;
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.addAll(err.problems);
    return undefined;
  }
}
