/**
 * Run replays for people: the browser viewer (`viewer.html`, three.js bundled
 * with esbuild, worlds rebuilt from preset and seed) and the MCAP export for
 * Foxglove and Lichtblick.
 */
export type { ViewerData, ViewerReplay, ViewerTestHook } from "./ViewerData.ts";
export { VIEWER_DATA_ELEMENT } from "./ViewerData.ts";
export { collectReplays, toViewerReplay, outputKind } from "./collectReplays.ts";
export { buildViewerBundle } from "./buildViewerBundle.ts";
export { viewerHtml } from "./viewerHtml.ts";
export { writeViewer, type WrittenViewer } from "./writeViewer.ts";
export { serveViewer } from "./serveViewer.ts";
export { exportMcap, MCAP_TOPICS, type McapExport } from "./mcap/exportMcap.ts";
export { replayPointLink, REPLAYS_FOLDER } from "./replayLinks.ts";
