/** A question answered on the terminal without echo (a password), or undefined without a terminal. */
import { UserError } from '../core/errors.ts';

export function hiddenPrompt(): ((question: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return (question) =>
    new Promise((resolve, reject) => {
      const stdin = process.stdin;
      let text = '';
      const finish = () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        process.stderr.write('\n');
      };
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            finish();
            resolve(text);
            return;
          }
          if (ch === '\u0003' || ch === '\u0004') {
            finish();
            reject(new UserError({ message: 'no answer at the password prompt', hint: 'run again and type the password, or give it in a file' }));
            return;
          }
          text = ch === '\u007f' || ch === '\b' ? text.slice(0, -1) : text + ch;
        }
      };
      process.stderr.write(question);
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
    });
}
