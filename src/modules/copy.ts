/** copy: a file's content from `content` or a controller-side `src`, written atomically. */
import { findControllerFile, notFoundMessage } from './controller-file.ts';
import { attributeSchema } from './file-attributes.ts';
import { planFileContent, type FileContentArgs } from './file-content.ts';
import type { ModuleDef } from './types.ts';
import { readControllerText } from '../core/vault/vault-keyring.ts';

interface CopyArgs extends FileContentArgs {
  content?: string;
  src?: string;
}

export const copyModule: ModuleDef<CopyArgs> = {
  name: 'copy',
  summary: 'write a file from inline content or a controller-side file',
  schema: {
    type: 'object',
    properties: {
      dest: { type: 'string', pattern: '^/', minLength: 2 },
      content: { type: 'string' },
      src: { type: 'string', minLength: 1 },
      backup: { type: 'boolean' },
      ...attributeSchema,
    },
    required: ['dest'],
    oneOf: [{ required: ['content'] }, { required: ['src'] }],
    additionalProperties: false,
  },
  plan(args, state, ctx) {
    let content = args.content;
    if (content === undefined) {
      const found = findControllerFile(ctx, 'files', args.src!);
      if (!found.found) return { kind: 'fail', message: notFoundMessage('src', args.src!, found.searched) };
      const file = found.file;
      try {
        content = readControllerText(file);
      } catch (err) {
        return { kind: 'fail', message: `cannot read src ${file}: ${(err as Error).message}` };
      }
    }
    return planFileContent(args, content, state);
  },
};
