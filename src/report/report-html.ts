/**
 * A run's report as one self-contained HTML file: no server, no network, no external asset. Every
 * value from the record (task and host names, messages, diffs) passes through `esc`, so whatever a
 * playbook or a host says shows as text and never becomes markup.
 */
import { makeStyle } from '../output/style.ts';
import { changeDiffLines, formatDuration } from '../output/result-lines.ts';
import type { HostStats } from '../core/events.ts';
import type { ChangeEntry, DirectorView, FailureEntry, HostRow, PlaySection, ReportModel, TimelineStep } from './report-model.ts';
import { worstStatus } from './report-model.ts';
import { ipvsServiceName } from '../facts/ipvsadm.ts';
import { REPORT_SCRIPT, REPORT_STYLE } from './report-page.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const EXIT_MEANING: Record<number, string> = {
  2: 'a host failed',
  3: 'a host was unreachable',
  4: 'invalid input',
  99: 'interrupted',
  250: 'internal error',
};

/** The run at a glance, as operators ask for it: failed, completed with changes, or no changes. */
export function outcomeOf(model: ReportModel): { label: string; tone: string } {
  const { end, header } = model.record;
  if (!end) return { label: 'did not finish', tone: 'failed' };
  if (end.exitCode in EXIT_MEANING) return { label: `exit ${end.exitCode}: ${EXIT_MEANING[end.exitCode]}`, tone: 'failed' };
  const changed = model.hosts.some((h) => h.stats.changed > 0);
  if (!changed) return { label: 'completed, no changes', tone: 'ok' };
  return { label: header.check ? 'completed, changes pending (check mode)' : 'completed with changes', tone: 'changed' };
}

export function renderReport(model: ReportModel): string {
  const { header, end } = model.record;
  const outcome = outcomeOf(model);
  const title = `${header.kind} ${header.start}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>lvsdr ${esc(title)}</title><style>${REPORT_STYLE}</style></head>
<body>
<header>
<h1><code>${esc(header.command.join(' '))}</code></h1>
<p id="outcome" class="badge ${outcome.tone}">${esc(outcome.label)}</p>
<dl class="facts">
<dt>who</dt><dd>${esc(`${header.user}@${header.controller}`)}</dd>
<dt>when</dt><dd>${esc(header.start)}</dd>
<dt>duration</dt><dd>${end ? esc(formatDuration(end.t)) : 'unknown (the run did not finish)'}</dd>
<dt>exit status</dt><dd id="exit-code">${end ? esc(end.exitCode) : 'none'}${end?.error ? ` — ${esc(end.error)}` : ''}</dd>
<dt>check mode</dt><dd id="check-mode">${header.check ? 'yes: nothing was changed' : 'no'}</dd>
<dt>lvsdr</dt><dd>${esc(header.version)} in ${esc(header.cwd)}, run ${esc(header.runId)}</dd>
${[...header.playbooks.map((f) => ['playbook', f] as const), ...header.inventories.map((f) => ['inventory', f] as const)]
  .map(([what, f]) => `<dt>${what}</dt><dd><code>${esc(f.path)}</code>${f.sha256 ? ` sha256 <code>${esc(f.sha256.slice(0, 16))}</code>` : ''}${f.git ? ` git <code>${esc(f.git.revision.slice(0, 12))}</code>${f.git.modified ? ' (the file differs from that commit)' : ''}` : ''}</dd>`)
  .join('\n')}
</dl>
${model.record.problems.map((p) => `<p class="problem">${esc(p)}</p>`).join('\n')}
</header>
<main>
${hostsSection(model.hosts)}
${model.failures.length ? failuresSection(model.failures) : ''}
${model.timeline.length ? timelineSection(model.timeline) : ''}
${gridSection(model.plays, model.hosts.map((h) => h.name))}
${changesSection(model.changes)}
</main>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}

const COUNTS: (keyof HostStats)[] = ['ok', 'changed', 'failed', 'unreachable', 'skipped', 'rescued', 'ignored'];
/** The counts coloured when not zero: what a reader looks for. */
const SHOUTED = new Set<keyof HostStats>(['changed', 'failed', 'unreachable', 'ignored']);

function hostsSection(hosts: HostRow[]): string {
  const row = (h: HostRow): string => {
    const tone = h.stats.failed > 0 ? 'failed' : h.stats.unreachable > 0 ? 'unreachable' : h.stats.changed > 0 ? 'changed' : 'ok';
    const cells = COUNTS.map((k) => `<td class="num${h.stats[k] > 0 && SHOUTED.has(k) ? ` ${k}` : ''}" data-count="${k}">${h.stats[k]}</td>`).join('');
    return `<tr class="host" data-host="${esc(h.name)}"><th class="${tone}">${esc(h.name)}</th>${cells}<td class="msg">${h.msg ? esc(h.msg) : ''}</td></tr>`;
  };
  return `<section id="hosts"><h2>Hosts</h2>
<table id="host-table"><thead><tr><th>host</th>${COUNTS.map((k) => `<th>${k}</th>`).join('')}<th></th></tr></thead>
<tbody>${hosts.map(row).join('\n')}</tbody></table></section>`;
}

function gridSection(plays: PlaySection[], hosts: string[]): string {
  let order = 0;
  const head = `<tr><th>task</th><th>where</th>${hosts.map((h) => `<th data-host="${esc(h)}">${esc(h)}</th>`).join('')}</tr>`;
  const bodies = plays.map((play) => {
    const rows = play.tasks.map((task) => {
      const cells = hosts.map((host) => {
        const results = task.cells.get(host);
        if (!results) return `<td class="cell none" data-host="${esc(host)}"></td>`;
        const worst = worstStatus(results);
        const status = worst.ignored ? 'ignored' : worst.status;
        const ms = results.reduce((sum, r) => sum + r.durationMs, 0);
        const link = results.flatMap((r) => r.changeIds)[0];
        const label = link ? `<a href="#${link}">${status}</a>` : status;
        return `<td class="cell ${status}" data-host="${esc(host)}" data-status="${status}" title="${esc(results.map((r) => r.text).join('\n'))}">${label}<small>${esc(formatDuration(ms))}</small></td>`;
      });
      return `<tr class="task" data-order="${order++}" data-duration="${task.durationMs}" data-task="${esc(task.name.toLowerCase())}"><th>${esc(task.name)}</th><td class="pos"><code>${esc(task.pos)}</code></td>${cells.join('')}</tr>`;
    });
    const heading = `${play.step ? `${play.step}: ` : ''}${play.name}${play.check ? ' (check mode)' : ''}`;
    return `<tbody class="play"><tr class="play-head"><th colspan="${hosts.length + 2}">PLAY ${esc(heading)}</th></tr>\n${rows.join('\n')}</tbody>`;
  });
  const hostOptions = hosts.map((h) => `<option value="${esc(h)}">${esc(h)}</option>`).join('');
  return `<section id="tasks"><h2>Tasks × hosts</h2>
<form id="filters" onsubmit="return false">
<label><input type="checkbox" id="only-changed"> changed</label>
<label><input type="checkbox" id="only-failed"> failed</label>
<label>host <select id="host-filter"><option value="">all</option>${hostOptions}</select></label>
<label>task <input type="search" id="task-filter" placeholder="part of a task name"></label>
<label>order <select id="sort"><option value="playbook">playbook</option><option value="duration">slowest first</option></select></label>
</form>
<table id="grid"><thead>${head}</thead>
${bodies.join('\n')}</table></section>`;
}

function failuresSection(failures: FailureEntry[]): string {
  const item = (f: FailureEntry): string =>
    `<li data-host="${esc(f.host)}"><b>${esc(f.host)}</b> · ${esc(f.task)} <code>${esc(f.pos)}</code><pre class="msg">${esc(f.msg)}</pre></li>`;
  return `<section id="failures"><h2>Failures (${failures.length})</h2><ul>${failures.map(item).join('\n')}</ul></section>`;
}

function changesSection(changes: ChangeEntry[]): string {
  const plain = makeStyle(false);
  const entry = (c: ChangeEntry): string => {
    const lines = c.diff ? changeDiffLines(c.diff, plain).map((l) => l.replace(/^ {4}/, '')) : [];
    const diff = lines.length
      ? `<pre class="diff">${lines.map((l) => `<span class="${diffClass(l)}">${esc(l)}</span>`).join('\n')}</pre>`
      : '';
    return `<article class="change" id="${c.id}" data-host="${esc(c.host)}"><h3>${esc(c.host)} · ${esc(c.task)} <code>${esc(c.pos)}</code></h3>
<p>${c.check ? '(check) would: ' : ''}${esc(c.summary)}</p>${diff}</article>`;
  };
  return `<section id="changes"><h2>Changes (${changes.length})</h2>\n${changes.map(entry).join('\n')}</section>`;
}

function diffClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'file';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'same';
}

function timelineSection(steps: TimelineStep[]): string {
  const row = (s: TimelineStep): string => {
    const probes = s.probes.map((p) => `${p.attempts} to each of ${p.targets.join(', ')}: ${p.failures.length ? `${p.failures.length} failed — ${p.failures.join('; ')}` : 'all answered'}`);
    const left = s.leftOut.map((l) => `left out ${l.host}: ${l.reason}`);
    return `<tr class="step" data-step="${esc(s.step)}"><td>${esc(formatDuration(s.t))}</td><th>${esc(s.step)}</th><td>${esc(s.hosts.join(', '))}</td><td>${esc(s.detail ?? '')}</td>
<td>${directorViews(s.before)}</td><td>${s.after.size ? directorViews(s.after) : '<span class="dim">not read in this step</span>'}</td><td>${[...probes, ...left].map((l) => `<div>${esc(l)}</div>`).join('')}</td></tr>`;
  };
  return `<section id="timeline"><h2>Rollout</h2>
<table id="steps"><thead><tr><th>at</th><th>step</th><th>hosts</th><th>what</th><th>director before</th><th>director after</th><th>probes, hosts left out</th></tr></thead>
<tbody>${steps.map(row).join('\n')}</tbody></table></section>`;
}

/** Each director's virtual services with their real servers and weights, as ipvsadm listed them. */
function directorViews(views: Map<string, DirectorView>): string {
  return [...views.entries()]
    .map(([director, v]) => {
      if (v.error) return `<div class="director"><b>${esc(director)}</b>: ${esc(v.error)}</div>`;
      const services = v.services.map(
        (s) => `<div>${esc(ipvsServiceName(s))} → ${s.realServers.map((r) => esc(`${r.ip} w${r.weight}`)).join(', ') || 'no real server'}</div>`,
      );
      return `<div class="director"><b>${esc(director)}</b>${services.join('') || ': no virtual service'}</div>`;
    })
    .join('');
}
