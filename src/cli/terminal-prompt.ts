/**
 * Questions answered on the terminal: a password before a run (-K, the vault's), a pause's prompt
 * during one. Both read stdin in raw mode, so Ctrl+C arrives as a key, not as SIGINT.
 */
import { UserError } from '../core/errors.ts';
import type { ControllerTerminal } from '../modules/types.ts';

const isTerminal = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY);

/** A question answered on the terminal without echo (a password), or undefined without a terminal. */
export function hiddenPrompt(): ((question: string) => Promise<string>) | undefined {
  if (!isTerminal()) return undefined;
  return async (question) => {
    const answer = await readLine(question, false);
    if (answer === undefined) throw new UserError({ message: 'no answer at the password prompt', hint: 'run again and type the password, or give it in a file' });
    return answer;
  };
}

/**
 * The terminal a run's pause prompts on, or undefined when stdin or stderr is not one. One prompt
 * at a time; Ctrl+C at a prompt interrupts the run (`interrupt`), as it does outside one, and an
 * interrupted run ends the prompt.
 */
export function runTerminal(signal: AbortSignal, interrupt: () => void): ControllerTerminal | undefined {
  if (!isTerminal()) return undefined;
  let turn: Promise<unknown> = Promise.resolve();
  return {
    show: (text) => void process.stderr.write(text),
    ask: (question, echo) => {
      const answer = turn.then(() => readLine(question, echo, signal));
      turn = answer;
      return answer.then((a) => {
        if (a === undefined && !signal.aborted) interrupt();
        return a;
      });
    },
  };
}

/** What is typed up to Enter, echoed or not; undefined after Ctrl+C or Ctrl+D, or once `signal` aborts. */
function readLine(question: string, echo: boolean, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    const out = process.stderr;
    let text = '';
    const finish = (answer: string | undefined) => {
      stdin.off('data', onData);
      signal?.removeEventListener('abort', onAbort);
      stdin.setRawMode(false);
      stdin.pause();
      out.write('\n');
      resolve(answer);
    };
    const onAbort = () => finish(undefined);
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(text);
        if (ch === '\u0003' || ch === '\u0004') return finish(undefined);
        if (ch === '\u007f' || ch === '\b') {
          if (echo && text) out.write('\b \b');
          text = text.slice(0, -1);
        } else {
          text += ch;
          if (echo) out.write(ch);
        }
      }
    };
    out.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
