/// The page's Mustache templates, CSS and inline script, as Swift string constants.
///
/// Constants rather than resource files: the `sluice` binary stays one self-sufficient file
/// (it is commonly copied to `/usr/local/bin`, where a SwiftPM resource bundle would not
/// follow it), and nothing is read from disk at run time.
enum PageTemplates {
    /// The whole page. `live` adds the SQL box, the upload box and the script; the static
    /// report has neither a script nor a link.
    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        {{#live}}<link rel="icon" href="data:,">{{/live}}
        <style>{{{css}}}</style>
        </head>
        <body{{#live}} data-live="1"{{/live}}>
        <header class="top">
          <h1>Sluice <span class="ws">{{workspaceName}}</span></h1>
          <p class="meta" id="meta">Data last loaded <strong>{{lastLoaded}}</strong> · page generated {{generatedAt}}{{#live}} · <span id="live-status" class="live">live</span> · <a href="/schema">schema</a>{{/live}}<br><span class="path">{{workspacePath}}</span></p>
          {{#signsOut}}<form class="logout" method="post" action="/logout"><button type="submit">Log out</button></form>{{/signsOut}}
        </header>
        <main>
        <section id="summary" class="stats" aria-label="Ingest summary">
        {{#stats}}<div class="stat {{tone}}"><span class="value">{{value}}</span><span class="label">{{label}}</span></div>{{/stats}}
        </section>
        {{#notice}}<p class="notice">{{.}}</p>{{/notice}}
        <section id="reports" class="reports">
        {{#cards}}
        <article class="card" id="{{anchor}}">
          <header><h2>{{title}}</h2><span class="rows">{{rowCount}}</span></header>
          {{#description}}<p class="desc">{{.}}</p>{{/description}}
          {{#error}}<p class="error">{{.}}</p>{{/error}}
          {{#chart}}<figure class="chart-box">{{{.}}}</figure>{{/chart}}
          {{#chartNote}}<p class="note">{{.}}</p>{{/chartNote}}
          {{#showTable}}{{#table}}{{> table}}{{/table}}{{/showTable}}
          <details class="sql"><summary>SQL <code>{{name}}.sql</code></summary><pre><code>{{sql}}</code></pre></details>
          {{#live}}<p class="links">Download <a href="/api/reports/{{urlName}}.csv" download>CSV</a> · <a href="/api/reports/{{urlName}}.json" download>JSON</a> · <a href="/api/reports/{{urlName}}.sql">SQL file</a> · <a href="/?sql={{urlSQL}}">open in the SQL box</a></p>{{/live}}
        </article>
        {{/cards}}
        </section>
        <section id="failed" class="panel">
          <h2>Rejected files <span class="count">{{rejectedCount}}</span></h2>
          {{#hasRejected}}
          <div class="table-wrap tall"><table class="data">
            <thead><tr><th>file</th><th>reason</th><th>first problem</th><th>what to do</th><th>when</th>{{#live}}<th></th>{{/live}}</tr></thead>
            <tbody>
            {{#rejected}}<tr><td class="file">{{name}}{{#source}}<div class="sub">from {{.}}</div>{{/source}}</td><td><span class="badge {{badge}}">{{badgeLabel}}</span></td><td class="msg">{{problem}}</td><td class="msg">{{hint}}</td><td class="when">{{when}}</td>{{#live}}<td class="actions-cell"><a href="/api/failed/{{urlName}}" download>{{fileLabel}}</a>{{#reportURL}} · <a href="{{.}}">reason report</a>{{/reportURL}}{{#retry}} <button type="button" class="retry" data-name="{{name}}">Retry</button>{{/retry}}</td>{{/live}}</tr>
            {{/rejected}}
            </tbody>
          </table></div>
          {{/hasRejected}}
          {{^hasRejected}}<p class="empty">No file is waiting in failed/.</p>{{/hasRejected}}
        </section>
        {{#live}}<p class="note" id="retry-status" role="status"></p>{{/live}}
        <section id="history" class="panel">
          <h2>Ingest history <span class="count">{{historyNote}}</span></h2>
          {{#hasIngests}}
          <div class="table-wrap tall"><table class="data">
            <thead><tr><th>#</th><th>file</th><th>status</th><th class="num">read</th><th class="num">loaded</th><th class="num">rejected</th><th>message</th><th>when</th></tr></thead>
            <tbody>
            {{#ingests}}<tr><td class="num">{{id}}</td><td class="file">{{source}}</td><td><span class="badge {{status}}">{{status}}</span></td><td class="num">{{rowsRead}}</td><td class="num">{{rowsLoaded}}</td><td class="num">{{rowsRejected}}</td><td class="msg">{{message}}</td><td class="when">{{ingestedAt}}</td></tr>
            {{/ingests}}
            </tbody>
          </table></div>
          {{#live}}<p class="links pager">{{#newerLink}}<a href="{{.}}">← newer</a>{{/newerLink}}{{#newerLink}}{{#olderLink}} · {{/olderLink}}{{/newerLink}}{{#olderLink}}<a href="{{.}}">older →</a>{{/olderLink}}</p>{{/live}}
          {{/hasIngests}}
          {{^hasIngests}}<p class="empty">No file was ingested yet.</p>{{/hasIngests}}
        </section>
        {{#live}}
        <section id="query" class="panel">
          <h2>Query</h2>
          <form id="query-form" action="/" method="get"{{#runQuery}} data-run="1"{{/runQuery}}>
            <textarea name="sql" id="query-sql" rows="4" spellcheck="false" aria-label="SQL">{{querySQL}}</textarea>
            <div class="actions"><button type="submit">Run</button><span class="links"><a id="query-link" href="/?sql={{queryURL}}">Permalink</a> · <a id="query-csv" href="/api/query?format=csv&amp;sql={{queryURL}}" download>CSV</a> · <a id="query-json" href="/api/query?format=json&amp;sql={{queryURL}}" download>JSON</a></span><span class="hint">Read-only: SELECT and WITH only; time-limited, row- and size-capped.</span></div>
          </form>
          <div id="query-result"></div>
        </section>
        {{#uploads}}
        <section id="upload" class="panel">
          <h2>Upload a CSV file</h2>
          <form id="upload-form"><input type="file" id="upload-file" accept=".csv,text/csv" multiple> <button type="submit">Upload to inbox</button> <span id="upload-status" class="hint"></span></form>
        </section>
        {{/uploads}}
        {{/live}}
        </main>
        <footer>Sluice · {{#live}}live dashboard (read-only){{/live}}{{^live}}self-contained report: no network needed{{/live}}</footer>
        {{#live}}<script>{{{script}}}</script>{{/live}}
        </body>
        </html>

        """

    /// A result table; `compact` for reports shown as a table rather than a chart.
    static let table = """
        <div class="table-wrap{{#compact}} compact{{/compact}}"><table class="data">
        <thead><tr>{{#columns}}<th{{#numeric}} class="num"{{/numeric}}>{{name}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td{{#numeric}} class="num"{{/numeric}}{{#null}} class="null"{{/null}}>{{text}}</td>{{/cells}}</tr>
        {{/rows}}
        {{#empty}}<tr><td class="empty" colspan="99">No rows.</td></tr>{{/empty}}
        </tbody></table>{{#truncated}}<p class="note">More rows not shown.</p>{{/truncated}}</div>
        """

    /// The page's style sheet: system fonts only, readable contrast, a responsive grid of cards.
    static let css = """
        :root{--bg:#f4f5f7;--card:#fff;--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--accent:#0072B2;--bad:#b42318;--good:#067647}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        header.top{background:#111827;color:#f9fafb;padding:18px 28px;position:relative}
        header.top .logout{position:absolute;top:16px;right:20px;margin:0}
        header.top .logout button{background:#374151}
        header.top h1{margin:0;font-size:22px;font-weight:650}
        header.top .ws{font-weight:400;color:#9ca3af;margin-left:6px}
        header.top .meta{margin:6px 0 0;color:#d1d5db;font-size:13px}
        header.top .meta strong{color:#fff}
        header.top a{color:#93c5fd}
        header.top .path{overflow-wrap:anywhere;color:#9ca3af;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
        .live{display:inline-block;padding:0 8px;border-radius:9px;background:#065f46;color:#d1fae5;font-size:12px}
        .live.off{background:#7c2d12;color:#ffedd5}
        main{max-width:1320px;margin:0 auto;padding:20px 24px 8px}
        .stats{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:18px}
        .stat{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:118px}
        .stat .value{display:block;font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}
        .stat .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
        .stat.bad .value{color:var(--bad)} .stat.good .value{color:var(--good)}
        .notice{background:#fffbeb;border:1px solid #fcd34d;border-radius:8px;padding:10px 14px}
        .reports{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,540px),1fr));gap:18px;align-items:start}
        .card,.panel{min-width:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;box-shadow:0 1px 2px rgba(0,0,0,.04)}
        .card header{display:flex;justify-content:space-between;align-items:baseline;gap:12px}
        .card h2,.panel h2{margin:0 0 4px;font-size:16px}
        .card .rows{color:var(--muted);font-size:12px;white-space:nowrap}
        .desc{margin:0 0 8px;color:#4b5563;font-size:13px}
        .error,.notice,.note,.desc{overflow-wrap:anywhere}
        .error{color:var(--bad);background:#fef3f2;border-radius:6px;padding:8px 10px}
        .note{color:var(--muted);font-size:12px;margin:4px 0}
        figure.chart-box{margin:6px 0 10px}
        svg.chart,img.chart{width:100%;height:auto;display:block}
        img.chart{margin:6px 0 10px}
        .table-wrap{max-height:300px;overflow:auto;border:1px solid var(--line);border-radius:6px}
        .table-wrap.compact{max-height:none}
        .table-wrap.tall{max-height:560px}
        .table-wrap.tall td.msg{min-width:18em}
        .links{font-size:13px;color:var(--muted);margin:8px 0 0}
        .links a{color:var(--accent)}
        table.data{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
        table.data th{position:sticky;top:0;background:#f9fafb;text-align:left;font-weight:600;color:#374151;border-bottom:1px solid var(--line);padding:5px 10px}
        table.data td{padding:4px 10px;border-bottom:1px solid #f1f2f4;vertical-align:top}
        table.data tr:nth-child(even) td{background:#fbfbfc}
        .num,table.data th.num{text-align:right}
        td.null{color:#9ca3af;font-style:italic}
        td.empty,p.empty{color:var(--muted);font-style:italic}
        td.file{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;min-width:12em;overflow-wrap:anywhere}
        td.when{white-space:nowrap;color:var(--muted);font-size:12px}
        .sub{color:var(--muted);font-size:11px}
        .local{font-weight:400;opacity:.8}
        .badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;background:#eef2f6;color:#344054;white-space:nowrap}
        .badge.loaded{background:#dcfae6;color:var(--good)} .badge.rejected{background:#fee4e2;color:var(--bad)}
        h2 .count{font-weight:400;color:var(--muted);font-size:13px;margin-left:6px}
        td.actions-cell{white-space:nowrap;font-size:12px} td.actions-cell a{color:var(--accent)}
        button.retry{padding:2px 10px;font-size:12px;margin-left:6px}
        details.sql{margin-top:10px} details.sql summary{cursor:pointer;color:var(--accent);font-size:13px;overflow-wrap:anywhere}
        details.sql pre{background:#f3f4f6;border-radius:6px;padding:10px;overflow:auto;font-size:12px;line-height:1.4}
        .panel{margin-top:18px}
        #query textarea{width:100%;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border:1px solid #d0d5dd;border-radius:6px;padding:8px}
        .actions{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}
        .actions .links{margin:0}
        button{background:var(--accent);color:#fff;border:0;border-radius:6px;padding:6px 14px;font-size:13px;cursor:pointer}
        .hint{color:var(--muted);font-size:12px}
        footer{max-width:1320px;margin:0 auto;padding:14px 24px 28px;color:var(--muted);font-size:12px}
        @media (max-width:600px){
          .reports{grid-template-columns:1fr;gap:12px}
          main{padding:10px}
          header.top{padding:14px 12px}
          header.top .logout{position:static;margin-top:8px}
          .card,.panel{padding:12px}
          .stat{min-width:0;flex:1 1 40%;padding:8px 10px}
          .stat .value{font-size:18px}
          footer{padding:12px 10px 20px}
        }
        """

    /// The dashboard page's Content-Security-Policy: its own inline style and script, images from
    /// `data:` URLs, connections to this server only; no frames, no plugins, no other origin.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// The dashboard's only script, inline: live refresh over `/events`, the SQL box (with its
    /// permalink and downloads) and uploads. It talks to this server alone, builds every table with
    /// `textContent`, and formats numbers as ``ChartFormat/value(_:)`` does.
    static let script = """
        (function () {
          var status = document.getElementById('live-status');
          function refresh() {
            var open = {};
            document.querySelectorAll('details[open]').forEach(function (d) { var c = d.closest('article'); if (c) open[c.id] = true; });
            fetch(location.pathname + location.search, {cache: 'no-store'}).then(function (r) { return r.text(); }).then(function (html) {
              var doc = new DOMParser().parseFromString(html, 'text/html');
              ['meta', 'summary', 'reports', 'failed', 'history'].forEach(function (id) {
                var now = document.getElementById(id), next = doc.getElementById(id);
                if (now && next) now.replaceWith(document.importNode(next, true));
              });
              Object.keys(open).forEach(function (id) { var d = document.querySelector('#' + CSS.escape(id) + ' details'); if (d) d.open = true; });
              status = document.getElementById('live-status');
              if (status) { status.textContent = 'live · updated'; status.className = 'live'; }
              localTimes();
              document.body.setAttribute('data-updates', String(Number(document.body.getAttribute('data-updates') || 0) + 1));
            }).catch(function () {});
          }
          // The ledger's times are UTC; beside each, the reader's local time (when it differs).
          function localTimes() {
            if (new Date().getTimezoneOffset() === 0) return;
            document.querySelectorAll('.when, #meta strong').forEach(function (e) {
              var m = /^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:\\d{2}:\\d{2}) UTC$/.exec(e.textContent.trim());
              if (!m || e.querySelector('.local')) return;
              var s = document.createElement('span'); s.className = 'local';
              s.textContent = ' (' + new Date(m[1] + 'T' + m[2] + 'Z').toLocaleString([], {dateStyle: 'short', timeStyle: 'medium'}) + ' local)';
              e.appendChild(s);
            });
          }
          localTimes();
          if (window.EventSource) {
            var events = new EventSource('/events');
            events.addEventListener('change', refresh);
            events.onopen = function () { if (status) { status.textContent = 'live'; status.className = 'live'; } };
            events.onerror = function () { if (status) { status.textContent = 'reconnecting…'; status.className = 'live off'; } };
          }
          // ReadableNumber's rule (Swift), kept in step by a test that runs both over the same numbers.
          function fmt(n) {
            if (isNaN(n)) return 'NaN';
            if (!isFinite(n)) return n < 0 ? '-∞' : '∞';
            var a = Math.abs(n), sign = n < 0 ? '-' : '';
            if (a >= 1e18) return n.toExponential();
            var h = Math.round(a * 100);
            if (h === 0) {
              if (a === 0) return '0';
              var e = 0, r = a;
              while (r < 1) { r *= 10; e--; }
              var d = Math.round(r * 10);
              if (d >= 100) { d = 10; e++; }
              var shown = d % 10 === 0 ? String(d / 10) : String(d);
              if (e < -6) return sign + (d % 10 === 0 ? shown : Math.floor(d / 10) + '.' + (d % 10)) + 'e' + e;
              return sign + '0.' + '0'.repeat(-e - 1) + shown;
            }
            var group = function (digits) { return digits.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ','); };
            if (h >= 9e15) return sign + group(String(Math.round(a)));
            var frac = h % 100, s = group(String(Math.floor(h / 100)));
            if (frac) s += '.' + (frac % 10 === 0 ? String(frac / 10) : (frac < 10 ? '0' + frac : String(frac)));
            return sign + s;
          }
          function table(json) {
            var t = document.createElement('table'); t.className = 'data';
            var head = t.createTHead().insertRow();
            json.columns.forEach(function (c) { var th = document.createElement('th'); th.textContent = c; head.appendChild(th); });
            var body = t.createTBody();
            json.rows.forEach(function (row) {
              var tr = body.insertRow();
              row.forEach(function (v) {
                var td = tr.insertCell();
                if (v === null) { td.textContent = 'NULL'; td.className = 'null'; }
                else if (typeof v === 'number') { td.textContent = fmt(v); td.className = 'num'; }
                else td.textContent = String(v);
              });
            });
            var wrap = document.createElement('div'); wrap.className = 'table-wrap'; wrap.appendChild(t);
            return wrap;
          }
          var form = document.getElementById('query-form');
          var box = document.getElementById('query-sql');
          function links() {
            var q = encodeURIComponent(box.value);
            document.getElementById('query-link').href = '/?sql=' + q;
            document.getElementById('query-csv').href = '/api/query?format=csv&sql=' + q;
            document.getElementById('query-json').href = '/api/query?format=json&sql=' + q;
          }
          function run() {
            var out = document.getElementById('query-result');
            links();
            fetch('/api/query?sql=' + encodeURIComponent(box.value)).then(function (r) { return r.json(); }).then(function (json) {
              out.textContent = '';
              if (json.error) { var p = document.createElement('p'); p.className = 'error'; p.textContent = json.error.code + ': ' + json.error.message; out.appendChild(p); return; }
              var numeric = json.columns.map(function (c, i) { return json.rows.some(function (r) { return typeof r[i] === 'number'; }); });
              if (json.rows.length && numeric.indexOf(true) >= 0 && numeric.indexOf(false) >= 0) {
                var chart = document.createElement('img'); chart.className = 'chart'; chart.alt = 'The result as bars';
                chart.src = '/api/query?format=svg&sql=' + encodeURIComponent(box.value);
                out.appendChild(chart);
              }
              out.appendChild(table(json));
              var n = document.createElement('p'); n.className = 'note';
              n.textContent = fmt(json.rows.length) + ' row' + (json.rows.length === 1 ? '' : 's') + (json.truncated ? ', more not shown' : '');
              out.appendChild(n);
            });
          }
          if (form) {
            box.addEventListener('input', links);
            form.addEventListener('submit', function (e) { e.preventDefault(); history.replaceState(null, '', '/?sql=' + encodeURIComponent(box.value)); run(); });
            if (form.getAttribute('data-run')) run();
          }
          document.addEventListener('click', function (e) {
            var button = e.target.closest && e.target.closest('button.retry');
            if (!button) return;
            var name = button.getAttribute('data-name');
            button.disabled = true;
            fetch('/api/retry?name=' + encodeURIComponent(name), {method: 'POST'}).then(function (r) { return r.json(); }).then(function (json) {
              var note = document.getElementById('retry-status');
              if (note) note.textContent = json.error ? name + ': ' + json.error.message : name + ' is back in the inbox';
              refresh();
            });
          });
          var upload = document.getElementById('upload-form');
          if (upload) upload.addEventListener('submit', function (e) {
            e.preventDefault();
            var files = Array.prototype.slice.call(document.getElementById('upload-file').files);
            var note = document.getElementById('upload-status');
            files.reduce(function (done, file) {
              return done.then(function () {
                return fetch('/api/upload?name=' + encodeURIComponent(file.name), {method: 'POST', body: file})
                  .then(function (r) { return r.json(); })
                  .then(function (json) { note.textContent = json.error ? file.name + ': ' + json.error.message : file.name + ' is in the inbox'; });
              });
            }, Promise.resolve());
          });
        })();
        """
}
