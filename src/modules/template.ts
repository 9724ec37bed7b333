/** template: a controller-side Jinja2 template rendered with the host's variables, then written. */
import { findControllerFile, notFoundMessage } from './controller-file.ts';
import { attributeSchema } from './file-attributes.ts';
import { planFileContent, type FileContentArgs } from './file-content.ts';
import type { ModuleDef } from './types.ts';
import { readControllerText } from '../core/vault/vault-keyring.ts';

interface TemplateArgs extends FileContentArgs {
  src: string;
}

export const templateModule: ModuleDef<TemplateArgs> = {
  name: 'template',
  summary: 'render a Jinja2 template from the controller and write it',
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', minLength: 1 },
      dest: { type: 'string', pattern: '^/', minLength: 2 },
      backup: { type: 'boolean' },
      ...attributeSchema,
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  plan(args, state, ctx) {
    const found = findControllerFile(ctx, 'templates', args.src);
    if (!found.found) return { kind: 'fail', message: notFoundMessage('template', args.src, found.searched) };
    const file = found.file;
    let text: string;
    try {
      text = readControllerText(file);
    } catch (err) {
      return { kind: 'fail', message: `cannot read template ${file}: ${(err as Error).message}` };
    }
    return planFileContent(args, ctx.renderTemplate(text, file), state);
  },
};
