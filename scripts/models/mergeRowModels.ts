import { cloneModel, type Model } from "../../optimizer/index.ts";

/**
 * One model computing both CropFollow outputs: the heading and distance
 * graphs side by side on one shared input, outputs renamed `heading` and
 * `distance` (two 1-value outputs, the form `OnnxRowPerception` reads).
 * The weights are exactly those of the two models, so running it is running
 * the shipped heading.onnx and distance.onnx on the same frame; it exists
 * because the closed loop takes one `--model`.
 */
export function mergeRowModels(heading: Model, distance: Model): Model {
  const a = cloneModel(heading);
  const b = cloneModel(distance);
  const input = a.graph.inputs[0].name;
  if (b.graph.inputs.length !== 1 || b.graph.inputs[0].name !== input) throw new Error(`both models need the one input "${input}"`);
  const rename = (g: Model["graph"], prefix: string, outName: string) => {
    const out = g.outputs[0].name;
    const map = (n: string) => (n === "" || n === input ? n : n === out ? outName : prefix + n);
    for (const node of g.nodes) {
      node.name = prefix + node.name;
      node.inputs = node.inputs.map(map);
      node.outputs = node.outputs.map(map);
    }
    g.initializers = new Map([...g.initializers].map(([k, v]) => [map(k), { ...v, name: map(k) }]));
    g.valueInfo = new Map([...g.valueInfo].map(([k, v]) => [map(k), { ...v, name: map(k) }]));
    g.outputs = g.outputs.map((o) => ({ ...o, name: map(o.name) }));
  };
  rename(a.graph, "heading/", "heading");
  rename(b.graph, "distance/", "distance");
  a.graph.name = "cropfollow";
  a.graph.nodes.push(...b.graph.nodes);
  for (const [k, v] of b.graph.initializers) a.graph.initializers.set(k, v);
  for (const [k, v] of b.graph.valueInfo) a.graph.valueInfo.set(k, v);
  a.graph.outputs.push(...b.graph.outputs);
  return a;
}
