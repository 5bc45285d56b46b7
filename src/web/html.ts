/**
 * The HTML of the two pages (the exported agent page and the dashboard) and their shared style
 * sheet, as strings: the package ships compiled TypeScript only, and these pages are small. Every
 * value put into the markup goes through {@link escapeHtml}.
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: dark; }
body { margin: 0; padding: 16px 20px; background: #0d1117; color: #c9d1d9;
  font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif; }
h1 { font-size: 18px; margin: 0 0 12px; font-weight: 600; }
h2 { font-size: 15px; margin: 18px 0 8px; font-weight: 600; }
.muted { color: #8b949e; }
.pr-player { display: flex; gap: 18px; align-items: flex-start; flex-wrap: wrap; }
.pr-screen { background: #000; padding: 4px; border-radius: 6px; line-height: 0; }
.pr-game { image-rendering: pixelated; max-width: 100%; }
.pr-side { min-width: 320px; max-width: 420px; display: flex; flex-direction: column; gap: 8px; }
.pr-label { font-weight: 600; }
.pr-stats { font-family: ui-monospace, monospace; font-size: 12px; color: #8b949e; }
.pr-bar { display: grid; grid-template-columns: 110px 1fr 64px; gap: 8px; align-items: center;
  font-family: ui-monospace, monospace; font-size: 12px; padding: 1px 0; }
.pr-track { background: #21262d; height: 12px; border-radius: 3px; overflow: hidden; }
.pr-fill { display: block; height: 100%; background: #3b5070; }
.pr-chosen .pr-fill { background: #58a6ff; }
.pr-chosen .pr-name { color: #fff; font-weight: 700; }
.pr-explored .pr-fill { background: #d29922; }
.pr-num { text-align: right; }
.pr-caption { font-size: 12px; color: #8b949e; margin-top: 4px; }
.pr-spark { width: 320px; height: 64px; border-radius: 4px; }
.pr-controls { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.pr-controls button, .pr-controls select, .pr-controls input { background: #21262d; color: #c9d1d9;
  border: 1px solid #30363d; border-radius: 5px; padding: 4px 9px; font: inherit; }
.pr-seed { width: 64px; }
.pr-you .pr-mode { background: #1f6feb; color: #fff; }
.pr-help, .pr-status { font-size: 12px; color: #8b949e; }
.pr-error { color: #f85149; }
.db-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 14px; }
.db-card { background: #161b22; border: 1px solid #30363d; border-radius: 8px; padding: 10px 12px; }
.db-card h3 { margin: 0 0 6px; font-size: 13px; font-weight: 600; }
.db-chart { width: 100%; height: 220px; }
.db-runs { font-family: ui-monospace, monospace; font-size: 12px; border-collapse: collapse; }
.db-runs td, .db-runs th { padding: 3px 10px 3px 0; text-align: left; }
.db-bar { display: inline-block; width: 120px; height: 8px; background: #21262d; border-radius: 3px;
  vertical-align: middle; overflow: hidden; }
.db-bar > span { display: block; height: 100%; background: #3fb950; }
.db-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
`;

/** The exported agent page: `app.js` plays the run described by `run.json` in `#player`. */
export function exportPageHtml(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · pixelrl</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div id="player" class="muted">loading the agent…</div>
<p class="muted">Exported with <code>pixelrl export</code>: the game, φ and the network run in this page (tfjs).</p>
<script type="module" src="app.js"></script>
</body>
</html>
`;
}

/** The dashboard page: `dashboard.js` subscribes to `/events` and draws the runs. */
export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pixelrl dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<h1>pixelrl dashboard <span id="db-live" class="muted">connecting…</span></h1>
<table class="db-runs" id="db-runs"></table>
<div class="db-grid" id="db-charts"></div>
<h2>Latest checkpoint, playing an evaluation episode <span id="db-player-run" class="muted"></span></h2>
<div id="player" class="muted">waiting for a checkpoint…</div>
<script type="module" src="dashboard.js"></script>
</body>
</html>
`;
}
