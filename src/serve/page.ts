// The page `gridlock serve` shows: a paste area, a file picker / drop target, a choice of source
// root, and the HTML report of the last analysis in a sandboxed frame. Self-contained: no request
// leaves the page except its own POST to /analyze.
import { formatBytes } from './body.js';

export interface PageSettings {
  /** Source roots given at start-up, in index order; the page names them only by index. */
  sourceRoots: string[];
  maxInputBytes: number;
}

/**
 * Shown for a root in the picker: the full directory, so two roots with one base name differ. The
 * first root is picked by default: a user who gave `--source` means it to be used.
 */
function rootOption(root: string, index: number): string {
  return `<option value="${index}"${index === 0 ? ' selected' : ''}>${escapeHtml(root)}</option>`;
}

export function renderPage(settings: PageSettings): string {
  const roots = settings.sourceRoots;
  const rootPicker =
    roots.length === 0
      ? `<span class="muted">No source directory was given at start-up (<code>--source DIR</code>): findings will name functions and lines without source.</span>`
      : `<label for="source-root">Source</label>
      <select id="source-root" name="root">
        <option value="">none</option>
        ${roots.map(rootOption).join('\n        ')}
      </select>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gridlock</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
  <h1>gridlock</h1>
  <p class="muted">Paste a Go goroutine dump (a panic or <code>SIGQUIT</code> traceback, <code>/debug/pprof/goroutine?debug=1</code> or <code>debug=2</code>) or drop a file (text, or a <code>.pb.gz</code> goroutine profile) to see why the program is stuck.</p>
</header>
<main>
  <form id="dump-form" data-max-bytes="${settings.maxInputBytes}">
    <textarea id="dump-text" name="dump" spellcheck="false" autocomplete="off" aria-label="Goroutine dump"
      placeholder="goroutine 1 [chan receive, 5 minutes]:&#10;main.main()&#10;        /src/app/main.go:42 +0x1d&#10;…"></textarea>
    <div class="controls">
      <label class="file-button">Choose file…<input id="dump-file" type="file" name="file"></label>
      <span id="file-chip" hidden><span id="file-name"></span> <button type="button" id="file-clear" aria-label="Use the pasted text instead">×</button></span>
      ${rootPicker}
      <button id="analyze" type="submit">Analyse</button>
      <span class="muted">Up to ${formatBytes(settings.maxInputBytes)}. Ctrl+Enter analyses.</span>
    </div>
  </form>
  <p id="status" role="status" aria-live="polite" data-kind="idle"></p>
  <ul id="warnings" hidden></ul>
  <p id="report-actions" hidden><a id="download" download="gridlock-report.html" href="#">Save this report</a></p>
  <iframe id="report" title="gridlock report" sandbox="allow-scripts allow-popups" hidden></iframe>
</main>
<div id="drop-hint" hidden>Drop the dump file</div>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_STYLE = `
:root { color-scheme: light dark; --accent: #2563eb; --error: #b91c1c; --warn: #a16207; --border: #8884; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.4rem; margin: 1rem 0 .2rem; }
.muted { opacity: .75; font-size: .9rem; }
code { font-size: .9em; }
textarea { width: 100%; height: 14rem; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; padding: .5rem; border: 1px solid var(--border); border-radius: 6px; resize: vertical; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem; margin: .5rem 0; }
.file-button { border: 1px solid var(--border); border-radius: 6px; padding: .3rem .7rem; cursor: pointer; }
.file-button { position: relative; }
.file-button:focus-within { outline: 2px solid var(--accent); }
.file-button input { position: absolute; inset: 0; opacity: 0; width: 100%; cursor: pointer; }
#file-chip { background: #8882; border-radius: 6px; padding: .2rem .5rem; }
#file-chip button { border: 0; background: none; cursor: pointer; font-size: 1rem; color: inherit; }
select { max-width: 28rem; padding: .25rem; }
button#analyze { background: var(--accent); color: white; border: 0; border-radius: 6px; padding: .4rem 1.2rem; font-size: 1rem; cursor: pointer; }
button#analyze:disabled { opacity: .5; cursor: progress; }
#status { min-height: 1.4em; margin: .5rem 0; font-weight: 600; }
#status[data-kind=error] { color: var(--error); }
#status[data-kind=busy] { opacity: .8; }
#warnings { color: var(--warn); font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; max-height: 10rem; overflow: auto; margin: 0 0 .5rem; }
#report { width: 100%; height: 85vh; border: 1px solid var(--border); border-radius: 6px; background: white; }
body.dragging #drop-hint { display: flex; }
#drop-hint { position: fixed; inset: 0; display: none; align-items: center; justify-content: center; font-size: 2rem; background: #2563eb33; border: 4px dashed var(--accent); pointer-events: none; }
`;

// Plain ES2017 in the browser; it talks to the server only through POST /analyze, whose answer is
// JSON: { ok, message, summary, html, warnings: [{ line, message }] }.
const PAGE_SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('dump-form');
  var text = document.getElementById('dump-text');
  var fileInput = document.getElementById('dump-file');
  var fileChip = document.getElementById('file-chip');
  var fileName = document.getElementById('file-name');
  var rootPicker = document.getElementById('source-root');
  var button = document.getElementById('analyze');
  var statusLine = document.getElementById('status');
  var warningList = document.getElementById('warnings');
  var actions = document.getElementById('report-actions');
  var download = document.getElementById('download');
  var frame = document.getElementById('report');
  var maxBytes = Number(form.dataset.maxBytes);
  var droppedFile = null;
  var downloadUrl = null;

  function chosenFile() {
    return droppedFile || (fileInput.files && fileInput.files[0]) || null;
  }
  function sizeText(bytes) {
    if (bytes >= 1073741824) return (bytes / 1073741824).toFixed(1) + ' GiB';
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + ' MiB';
    if (bytes >= 1024) return (bytes / 1024).toFixed(1) + ' KiB';
    return bytes + ' bytes';
  }
  function showFile() {
    var file = chosenFile();
    fileChip.hidden = !file;
    fileName.textContent = file ? file.name + ' (' + sizeText(file.size) + ')' : '';
    text.disabled = !!file;
  }
  function clearFile() {
    droppedFile = null;
    fileInput.value = '';
    showFile();
  }
  function setStatus(kind, message) {
    statusLine.dataset.kind = kind;
    statusLine.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    statusLine.textContent = message;
  }
  function showWarnings(warnings) {
    warningList.textContent = '';
    (warnings || []).forEach(function (warning) {
      var item = document.createElement('li');
      item.textContent = (warning.line > 0 ? 'line ' + warning.line + ': ' : '') + warning.message;
      warningList.appendChild(item);
    });
    warningList.hidden = warningList.children.length === 0;
  }
  // The report is shown from srcdoc in a sandbox (it runs scripts, but as an opaque origin). Its
  // in-page links (#party, #src-1-L42) must resolve against the report, not this page's address:
  // a <base href="about:srcdoc"> does that, making them fragment moves within the report.
  function showReport(html) {
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = html ? URL.createObjectURL(new Blob([html], { type: 'text/html' })) : null;
    download.href = downloadUrl || '#';
    actions.hidden = !html;
    frame.hidden = !html;
    frame.srcdoc = html ? html.replace(/<head>/i, '<head><base href="about:srcdoc">') : '';
  }
  function show(answer) {
    // A report lists its own warnings; the list here is for input that gave no report.
    showWarnings(answer.ok ? [] : answer.warnings);
    if (answer.ok) {
      setStatus('done', answer.summary || 'Done.');
      showReport(answer.html);
    } else {
      setStatus('error', answer.message || 'The analysis failed.');
      showReport(null);
    }
  }

  fileInput.addEventListener('change', function () { droppedFile = null; showFile(); });
  document.getElementById('file-clear').addEventListener('click', clearFile);
  text.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
  });
  document.addEventListener('dragover', function (event) {
    event.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', function (event) {
    if (event.relatedTarget === null) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', function (event) {
    event.preventDefault();
    document.body.classList.remove('dragging');
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length > 0) { droppedFile = files[0]; fileInput.value = ''; showFile(); }
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = chosenFile();
    var body = file || text.value;
    var size = file ? file.size : new Blob([text.value]).size;
    if (size === 0 || (!file && text.value.trim() === '')) {
      setStatus('error', file ? 'The chosen file is empty.' : 'Paste a goroutine dump or choose a file first.');
      return;
    }
    if (size > maxBytes) {
      setStatus('error', 'The input is ' + sizeText(size) + '; this server reads at most ' + sizeText(maxBytes) + '. Run the gridlock command line on the file instead.');
      return;
    }
    var query = [];
    if (rootPicker && rootPicker.value !== '') query.push('root=' + encodeURIComponent(rootPicker.value));
    if (file) query.push('name=' + encodeURIComponent(file.name));
    var url = '/analyze' + (query.length > 0 ? '?' + query.join('&') : '');
    button.disabled = true;
    setStatus('busy', 'Analysing ' + (file ? file.name + ' (' + sizeText(size) + ')' : sizeText(size) + ' of pasted text') + '…');
    fetch(url, {
      method: 'POST',
      body: body,
      headers: { 'content-type': file ? 'application/octet-stream' : 'text/plain; charset=utf-8' },
    })
      .then(function (response) {
        return response.json().catch(function () {
          return { ok: false, message: 'The server answered ' + response.status + ' ' + response.statusText + ' without a readable message.' };
        });
      }, function (error) {
        return { ok: false, message: 'Could not reach the gridlock server (' + error.message + '). Is it still running?' };
      })
      .then(function (answer) { show(answer); button.disabled = false; });
  });
})();
`;
