/**
 * Which handlers a notification reaches, as ansible-core 2.14's strategy finds them
 * (plugins/strategy/__init__.py search_handler_blocks_by_name): by name, the last handler defined
 * with that name — a role's handler also answers to `role : name` — and every handler that
 * `listen`s to it.
 */
import type { Task } from './types.ts';

/** The names a handler answers to. */
export function handlerNames(handler: Task): string[] {
  const prefix = handler.role ? `${handler.role.name} : ` : undefined;
  return prefix && handler.name.startsWith(prefix) ? [handler.name, handler.name.slice(prefix.length)] : [handler.name];
}

/** The handlers `notified` reaches, in the order they are defined. */
export function notifiedHandlers(handlers: Task[], notified: Iterable<string>): Task[] {
  const due = new Set<Task>();
  for (const name of notified) {
    const byName = handlers.findLast((h) => handlerNames(h).includes(name));
    if (byName) due.add(byName);
    for (const h of handlers) if (h.listen.includes(name)) due.add(h);
  }
  return handlers.filter((h) => due.has(h));
}
