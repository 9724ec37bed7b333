/**
 * A play's tasks on one host, blocks included, as Ansible runs them: a block's tasks in order; after
 * a failure there, its rescue (the host counts as failed no more); then, whatever happened, its
 * always; a failure in the rescue or the always (or one no rescue took over) fails the host.
 * A host that cannot be reached runs nothing more, not even an always.
 */
import { isBlock, type Block, type TaskNode } from '../playbook/types.ts';
import type { HostRun } from './host-run.ts';
import { runInclude } from './run-include.ts';
import { runTask, type TaskEnv } from './run-task.ts';

export async function runTaskNodes(nodes: readonly TaskNode[], host: HostRun, env: TaskEnv, signal?: AbortSignal): Promise<void> {
  for (const node of nodes) {
    if (!host.active || signal?.aborted || env.ends.ended(host)) return;
    if (isBlock(node)) await runBlock(node, host, env, signal);
    else if (node.include) await runInclude(node, host, env, signal);
    else await runTask(node, host, env);
  }
}

async function runBlock(block: Block, host: HostRun, env: TaskEnv, signal?: AbortSignal): Promise<void> {
  const rescuable = block.rescue.length > 0;
  if (rescuable) host.rescuing++;
  try {
    await runTaskNodes(block.block, host, env, signal);
  } finally {
    if (rescuable) host.rescuing--;
  }
  if (rescuable && host.failed && !host.unreachable) {
    host.failed = false;
    await runTaskNodes(block.rescue, host, env, signal);
  }
  if (host.unreachable || signal?.aborted || block.always.length === 0) return;
  const failed = host.failed;
  host.failed = false;
  await runTaskNodes(block.always, host, env, signal);
  host.failed ||= failed;
}
