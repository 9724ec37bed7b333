/**
 * The report page's style and its one script (filters and sorting of the task × host grid), inline
 * so that the file needs nothing else. The script reads only the page's own attributes.
 */

export const REPORT_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5em 2em; color: #1b1f24; }
h1 { font-size: 1.2em; margin: .8em 0 .4em; } h1 code { background: #f3f4f6; padding: .2em .4em; }
h2 { font-size: 1.1em; margin: 1.4em 0 .4em; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1em; margin: .8em 0 .2em; }
.badge { display: inline-block; padding: .2em .8em; border-radius: 1em; font-weight: 600; margin: 0; }
.facts { display: grid; grid-template-columns: max-content auto; gap: .1em 1em; margin: .6em 0; }
.facts dt { color: #57606a; } .facts dd { margin: 0; }
.problem { background: #fff8c5; border-left: 4px solid #d4a72c; padding: .4em .8em; }
table { border-collapse: collapse; } th, td { padding: .2em .5em; border: 1px solid #d0d7de; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
td.num { text-align: right; } td.msg { color: #cf222e; white-space: pre-wrap; max-width: 40em; }
tr.play-head th { background: #eaeef2; }
td.cell small { display: block; color: #57606a; font-size: .8em; }
td.cell a { color: inherit; }
.ok { background: #dafbe1; } .changed { background: #fff1c2; } .failed, .unreachable { background: #ffd8d3; }
.skipped { background: #f0f3f6; color: #57606a; } .ignored { background: #ffe7c2; }
.hidden { display: none; }
#filters { display: flex; gap: 1.2em; flex-wrap: wrap; margin: .4em 0 .6em; }
#failures pre.msg { color: #cf222e; margin: .2em 0 .6em; white-space: pre-wrap; }
pre.diff { background: #f6f8fa; padding: .5em; overflow-x: auto; }
pre.diff .add { color: #116329; background: #dafbe1; } pre.diff .del { color: #82071e; background: #ffebe9; }
pre.diff .hunk { color: #8250df; } pre.diff .file { font-weight: 600; }
.dim { color: #57606a; } .director { margin-bottom: .3em; } #steps td, #steps th { font-size: .9em; }
`;

export const REPORT_SCRIPT = `
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var grid = $('grid');
  function apply() {
    var host = $('host-filter').value, task = $('task-filter').value.toLowerCase();
    var changed = $('only-changed').checked, failed = $('only-failed').checked;
    grid.querySelectorAll('[data-host]').forEach(function (el) {
      el.classList.toggle('hidden', host !== '' && el.getAttribute('data-host') !== host);
    });
    grid.querySelectorAll('tr.task').forEach(function (row) {
      var shown = Array.prototype.filter.call(row.querySelectorAll('td.cell'), function (c) { return !c.classList.contains('hidden'); });
      var has = function (s) { return shown.some(function (c) { return s.indexOf(c.getAttribute('data-status')) >= 0; }); };
      var keep = row.getAttribute('data-task').indexOf(task) >= 0 && (!changed || has(['changed'])) && (!failed || has(['failed', 'unreachable']));
      row.classList.toggle('hidden', !keep);
    });
    document.querySelectorAll('#host-table tr.host, article.change, #failures li').forEach(function (el) {
      el.classList.toggle('hidden', host !== '' && el.getAttribute('data-host') !== host);
    });
  }
  function sort() {
    var key = $('sort').value === 'duration' ? 'data-duration' : 'data-order', sign = key === 'data-duration' ? -1 : 1;
    grid.querySelectorAll('tbody.play').forEach(function (body) {
      Array.prototype.slice.call(body.querySelectorAll('tr.task'))
        .sort(function (a, b) { return sign * (Number(a.getAttribute(key)) - Number(b.getAttribute(key))); })
        .forEach(function (row) { body.appendChild(row); });
    });
  }
  ['only-changed', 'only-failed', 'host-filter', 'task-filter'].forEach(function (id) { $(id).addEventListener('input', apply); });
  $('sort').addEventListener('input', sort);
})();
`;
