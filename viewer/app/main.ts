/// <reference lib="dom" />
/**
 * The replay viewer page (bundled by esbuild into `viewer.html`): picks a
 * recorded run, rebuilds its world, and plays it back with the camera frames
 * and plots in step. The page's state is exposed as `window.approxcaliperViewer`
 * (see `ViewerTestHook`).
 */
import { VIEWER_DATA_ELEMENT, type ViewerData, type ViewerReplay, type ViewerTestHook } from "../ViewerData.ts";
import { ReplayScene, type CameraMode } from "./ReplayScene.ts";
import { indexAt } from "./sampleAt.ts";
import { TimePlot, type PlotSeries } from "./TimePlot.ts";

const COLORS = { truth: "#38d67a", estimate: "#ffd400", a: "#5ab0ff", b: "#ff7ab8" };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  parent?.appendChild(e);
  return e;
}

const hook: ViewerTestHook & { [k: string]: unknown } = {
  ready: false,
  errors: [],
  replayIds: () => [],
  select: () => undefined,
  setTime: () => undefined,
  robotPose: () => ({ x: 0, y: 0, yaw: 0 }),
  sceneCounts: () => ({ plants: 0, cones: 0, obstacles: 0 }),
  collisionMarkers: () => [],
  cameraFrame: () => null,
};
(globalThis as unknown as { approxcaliperViewer: ViewerTestHook }).approxcaliperViewer = hook;
addEventListener("error", (e) => hook.errors.push(String(e.message)));
addEventListener("unhandledrejection", (e) => hook.errors.push(String((e as PromiseRejectionEvent).reason)));

function start(): void {
  const data = JSON.parse(document.getElementById(VIEWER_DATA_ELEMENT)!.textContent!) as ViewerData;
  document.title = `${data.title} — ApproxCaliper replay`;
  const app = el("div", { id: "app" }, document.body);
  const bar = el("div", { class: "bar" }, app);
  el("strong", {}, bar).textContent = data.title;
  const picker = el("select", { id: "replay", title: "replay (QoS point / seed)" }, bar);
  const groups = new Map<string, HTMLOptGroupElement | HTMLSelectElement>();
  for (const r of data.replays) {
    let parent = groups.get(r.group);
    if (!parent) {
      parent = r.group ? el("optgroup", { label: r.group }, picker) : picker;
      groups.set(r.group, parent);
    }
    const o = el("option", { value: r.id }, parent);
    o.textContent = `seed ${r.header.seed} — ${r.header.pass === false ? "FAIL" : r.header.pass ? "pass" : "run"}, ${r.header.summary.collisions} collision(s)`;
  }
  const modeSel = el("select", { id: "camera-mode", title: "3-D camera" }, bar);
  for (const m of ["orbit", "follow"]) el("option", { value: m }, modeSel).textContent = `${m} camera`;
  const info = el("span", { class: "info" }, bar);

  const main = el("div", { class: "main" }, app);
  const canvas = el("canvas", { id: "world" }, main);
  const side = el("div", { class: "side" }, main);
  const camBox = el("div", { class: "camera" }, side);
  const camImg = el("img", { id: "camera-frame", alt: "robot camera" }, camBox);
  const camNote = el("div", { class: "note" }, camBox);
  const plots = el("div", { class: "plots" }, side);

  const controls = el("div", { class: "controls" }, app);
  const play = el("button", { id: "play" }, controls);
  play.textContent = "▶";
  const speed = el("select", { id: "speed", title: "playback speed" }, controls);
  for (const s of ["0.25", "0.5", "1", "2", "4", "8"])
    el("option", { value: s, ...(s === "1" ? { selected: "" } : {}) }, speed).textContent = `${s}×`;
  const slider = el("input", { id: "time", type: "range", min: "0", max: "1", step: "0.01", value: "0" }, controls);
  const clock = el("span", { class: "clock" }, controls);

  const view = new ReplayScene(canvas);
  let replay: ViewerReplay = data.replays[0];
  let t = 0;
  let duration = 1;
  let playing = false;
  let charts: TimePlot[] = [];
  let frameShown: { t: number; src: string } | null = null;

  const select = (id: string): void => {
    const r = data.replays.find((x) => x.id === id);
    if (!r) throw new Error(`no replay "${id}"; have ${data.replays.map((x) => x.id).join(", ")}`);
    replay = r;
    picker.value = id;
    view.load(r);
    duration = r.trajectory.t.length ? r.trajectory.t[r.trajectory.t.length - 1] : 0;
    slider.max = String(duration);
    const s = r.header.summary;
    info.textContent =
      `${r.header.pipeline} on ${r.header.world.name}, seed ${r.header.seed}: ${s.collisions} collision(s), ` +
      `${s.completed ? "completed" : "not completed"} (${s.stopReason}), cross-track RMS ${s.crossTrackRms.toFixed(3)} m`;
    plots.replaceChildren();
    charts = makePlots(plots, r, duration);
    camImg.style.display = r.frames.length ? "" : "none";
    camNote.textContent = r.frames.length ? "" : "no camera frames recorded (run with --record-frames <fps>)";
    setTime(0);
  };

  const setTime = (x: number): void => {
    t = Math.min(duration, Math.max(0, x));
    slider.value = String(t);
    clock.textContent = `${t.toFixed(2)} / ${duration.toFixed(2)} s`;
    view.setTime(t);
    const f = replay.frames;
    frameShown =
      f.length && t >= f[0].t - 1e-9
        ? f[
            indexAt(
              f.map((x) => x.t),
              t,
            )
          ]
        : f.length
          ? f[0]
          : null;
    if (frameShown && camImg.getAttribute("src") !== frameShown.src) camImg.src = frameShown.src;
    for (const c of charts) c.draw(t);
  };

  picker.addEventListener("change", () => select(picker.value));
  modeSel.addEventListener("change", () => {
    view.mode = modeSel.value as CameraMode;
    view.setTime(t);
  });
  slider.addEventListener("input", () => setTime(Number(slider.value)));
  play.addEventListener("click", () => {
    playing = !playing;
    if (playing && t >= duration) setTime(0);
    play.textContent = playing ? "❚❚" : "▶";
  });

  let last = performance.now();
  const tick = (now: number): void => {
    const dt = (now - last) / 1000;
    last = now;
    if (playing) {
      setTime(t + dt * Number(speed.value));
      if (t >= duration) {
        playing = false;
        play.textContent = "▶";
      }
    }
    view.render();
    requestAnimationFrame(tick);
  };

  Object.assign(hook, {
    replayIds: () => data.replays.map((r) => r.id),
    select: (id: string) => {
      select(id);
      view.render();
    },
    setTime: (x: number) => {
      setTime(x);
      view.render();
    },
    robotPose: () => ({ ...view.pose }),
    sceneCounts: () => view.sceneCounts(),
    collisionMarkers: () => view.collisionMarkers(),
    cameraFrame: () => (frameShown ? { ...frameShown } : null),
  });
  if (data.replays.length === 0) {
    info.textContent = "no recorded runs in this folder (record with --record all, or wait for a failing run)";
  } else {
    // Deep links: #replay=<id>, or #point=<QoS hash> (the first replay of that point, from report.html and boundary.svg).
    const params = new URLSearchParams(location.hash.slice(1));
    const byId = data.replays.find((r) => r.id === params.get("replay"));
    const point = params.get("point");
    const byPoint = point ? data.replays.find((r) => r.id.split("/").includes(point)) : undefined;
    select((byId ?? byPoint ?? data.replays[0]).id);
    view.render();
  }
  requestAnimationFrame(tick);
  hook.ready = true;
}

function makePlots(parent: HTMLElement, r: ViewerReplay, duration: number): TimePlot[] {
  const tr = r.trajectory;
  const p = r.perception;
  const est = tr.estCrossTrack.length > 0;
  const out: TimePlot[] = [];
  const add = (title: string, series: PlotSeries[]) => out.push(new TimePlot(parent, title, series, duration));
  add("cross-track error (m)", [
    { name: "truth", color: COLORS.truth, t: tr.t, values: tr.truthCrossTrack },
    ...(est ? [{ name: "estimate", color: COLORS.estimate, t: tr.t, values: tr.estCrossTrack }] : []),
  ]);
  add("heading error (rad)", [
    { name: "truth", color: COLORS.truth, t: tr.t, values: tr.truthHeading },
    ...(est ? [{ name: "estimate", color: COLORS.estimate, t: tr.t, values: tr.estHeading }] : []),
  ]);
  for (const name of Object.keys(p.truth)) {
    add(`perception: ${name}`, [
      { name: "truth", color: COLORS.truth, t: p.t, values: p.truth[name] },
      { name: "output", color: COLORS.estimate, t: p.t, values: p.output[name] ?? [], dots: true },
    ]);
  }
  add("commands", [
    { name: tr.commandNames[0], color: COLORS.a, t: tr.t, values: tr.command[0] },
    { name: tr.commandNames[1], color: COLORS.b, t: tr.t, values: tr.command[1] },
  ]);
  return out;
}

try {
  start();
} catch (e) {
  hook.errors.push(String(e));
  document.body.insertAdjacentText("afterbegin", `viewer error: ${String(e)}`);
  throw e;
}
