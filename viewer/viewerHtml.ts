import { VIEWER_DATA_ELEMENT, type ViewerData } from "./ViewerData.ts";

const CSS = `
html,body{margin:0;height:100%;background:#0e1013;color:#d8dde3;font:13px system-ui,sans-serif}
#app{display:flex;flex-direction:column;height:100%}
.bar,.controls{display:flex;gap:10px;align-items:center;padding:6px 10px;background:#1a1d22}
.info{color:#9aa3ad;font-size:12px}
.main{flex:1;display:flex;min-height:0}
#world{flex:1;min-width:0;height:100%;display:block}
.side{width:min(440px,40vw);display:flex;flex-direction:column;overflow-y:auto;border-left:1px solid #2a2e35}
.camera img{width:100%;display:block;image-rendering:pixelated}
.camera .note{padding:6px;color:#9aa3ad;font-size:12px}
.plot{width:100%;height:120px;display:block;border-top:1px solid #2a2e35}
#time{flex:1}
select,button{background:#262a31;color:#d8dde3;border:1px solid #3a3f47;border-radius:4px;padding:3px 6px}
`;

/** Makes JSON safe inside a `<script>` element. */
function scriptSafe(json: string): string {
  return json
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The self-contained viewer page: the bundled script, its style and the replays' data in one HTML file. */
export function viewerHtml(data: ViewerData, bundle: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">` +
    `<title>${escapeHtml(data.title)} — ApproxCaliper replay</title><style>${CSS}</style></head><body>` +
    `<script type="application/json" id="${VIEWER_DATA_ELEMENT}">${scriptSafe(JSON.stringify(data))}</script>` +
    `<script>${bundle.replace(/<\/script/gi, "<\\/script")}</script></body></html>\n`
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
